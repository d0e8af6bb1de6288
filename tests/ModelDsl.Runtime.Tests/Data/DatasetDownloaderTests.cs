using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using ModelDsl.Data;
using Xunit;

namespace ModelDsl.Runtime.Tests.Data;

public class DatasetDownloaderTests
{
    private static string Md5(byte[] b) => Convert.ToHexString(MD5.HashData(b)).ToLowerInvariant();

    private static byte[] TarGz(Action<TarWriter> write)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gz, TarEntryFormat.Pax, leaveOpen: true))
            write(tar);
        return ms.ToArray();
    }

    private static void AddFile(TarWriter tar, string name, byte[] data) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });

    [Fact]
    public async Task Mnist_downloads_verifies_and_loads_from_a_loopback_server()
    {
        var src = BundledData.MnistDirectory;
        var files = new[] { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" }
            .ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(src, n)));
        using var server = new LoopbackHttpServer(files);
        var source = new DatasetSource(DatasetKind.Mnist, server.BaseUrl, files.Select(f => new RemoteFile(f.Key, Md5: Md5(f.Value))).ToArray());
        using var dir = new TempDir();
        using var dl = new DatasetDownloader();
        await dl.DownloadMnistAsync(dir.Path, source, TestContext.Current.CancellationToken);
        using var test = MnistDataset.Load(dir.Path, train: false);
        Assert.Equal(2000, test.Count);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.part-*"));
        // Second call finds verified files and downloads nothing.
        int before = server.Requests;
        await dl.DownloadMnistAsync(dir.Path, source, TestContext.Current.CancellationToken);
        Assert.Equal(before, server.Requests);
    }

    [Fact]
    public async Task Corrupted_download_is_a_checksum_error_and_leaves_no_file()
    {
        var good = new byte[5000];
        new Random(1).NextBytes(good);
        var bad = (byte[])good.Clone();
        bad[1234] ^= 0xFF;
        using var server = new LoopbackHttpServer(new() { ["file.bin"] = bad });
        using var dir = new TempDir();
        using var dl = new DatasetDownloader();
        var dest = dir.Sub("file.bin");
        var e = await Assert.ThrowsAsync<InvalidDataException>(() =>
            dl.DownloadFileAsync(new Uri(server.BaseUrl, "file.bin"), dest, md5: Md5(good), ct: TestContext.Current.CancellationToken));
        Assert.Contains("Checksum mismatch", e.Message);
        Assert.Contains(Md5(good), e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));

        var sha = Convert.ToHexString(SHA256.HashData(good));
        await Assert.ThrowsAsync<InvalidDataException>(() =>
            dl.DownloadFileAsync(new Uri(server.BaseUrl, "file.bin"), dest, sha256: sha, ct: TestContext.Current.CancellationToken));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Cifar_archive_downloads_extracts_and_loads()
    {
        using var staging = new TempDir();
        var batches = DataTestFiles.WriteCifar(staging.Sub("cifar-10-batches-bin"), perBatch: 2, test: 2);
        var archive = TarGz(tar =>
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "cifar-10-batches-bin/"));
            foreach (var f in Directory.GetFiles(batches).Order())
                AddFile(tar, "cifar-10-batches-bin/" + Path.GetFileName(f), File.ReadAllBytes(f));
        });
        using var server = new LoopbackHttpServer(new() { ["cifar-10-binary.tar.gz"] = archive });
        var source = DatasetSource.Cifar10.WithBaseUrl(server.BaseUrl) with { Files = [new RemoteFile("cifar-10-binary.tar.gz", Md5: Md5(archive))] };
        using var dir = new TempDir();
        using var dl = new DatasetDownloader();
        var path = await dl.DownloadCifar10Async(dir.Path, source, ct: TestContext.Current.CancellationToken);
        using var train = Cifar10Dataset.Load(path);
        Assert.Equal(10, train.Count);
        Assert.False(File.Exists(dir.Sub("cifar-10-binary.tar.gz")));
        Assert.Empty(Directory.GetDirectories(dir.Path, ".extract-*"));
    }

    [Theory]
    [InlineData("dotdot")]
    [InlineData("absolute")]
    [InlineData("symlink")]
    [InlineData("hardlink")]
    public async Task Path_traversal_archive_is_refused_and_nothing_is_written(string attack)
    {
        using var outer = new TempDir();
        var target = Directory.CreateDirectory(outer.Sub("target")).FullName;
        var archive = TarGz(tar =>
        {
            AddFile(tar, "cifar-10-batches-bin/ok.txt", [1, 2, 3]);
            switch (attack)
            {
                case "dotdot": AddFile(tar, "cifar-10-batches-bin/../../evil.txt", [6, 6, 6]); break;
                case "absolute": AddFile(tar, outer.Sub("evil.txt"), [6, 6, 6]); break;
                case "symlink": tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "cifar-10-batches-bin/evil") { LinkName = "../../" }); break;
                case "hardlink": tar.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "cifar-10-batches-bin/evil") { LinkName = "../evil.txt" }); break;
            }
        });
        using var server = new LoopbackHttpServer(new() { ["cifar-10-binary.tar.gz"] = archive });
        var source = DatasetSource.Cifar10.WithBaseUrl(server.BaseUrl) with { Files = [new RemoteFile("cifar-10-binary.tar.gz", Md5: Md5(archive))] };
        using var dl = new DatasetDownloader();
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => dl.DownloadCifar10Async(target, source, ct: TestContext.Current.CancellationToken));
        Assert.Contains("refusing", e.Message);
        Assert.False(File.Exists(outer.Sub("evil.txt")));
        Assert.False(Directory.Exists(Path.Combine(target, "cifar-10-batches-bin")));
        Assert.Empty(Directory.GetDirectories(target, ".extract-*"));
    }

    [Fact]
    public async Task Offline_gives_a_message_saying_where_to_put_the_files()
    {
        int port = LoopbackHttpServer.FreePort();   // nothing listens there
        var source = DatasetSource.Mnist.WithBaseUrl(new Uri($"http://127.0.0.1:{port}/mnist/"));
        using var dir = new TempDir();
        using var dl = new DatasetDownloader(timeout: TimeSpan.FromSeconds(10));
        var e = await Assert.ThrowsAsync<DatasetUnavailableException>(() => dl.DownloadMnistAsync(dir.Path, source, TestContext.Current.CancellationToken));
        Assert.Contains("by hand", e.Message);
        Assert.Contains(dir.Path, e.Message);
        Assert.Contains("train-images-idx3-ubyte.gz", e.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
