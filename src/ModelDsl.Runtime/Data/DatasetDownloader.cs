using System.Net.Sockets;
using System.Security.Cryptography;

namespace ModelDsl.Data;

/// <summary>Thrown when a dataset can be neither found locally nor downloaded (offline, server error).</summary>
public sealed class DatasetUnavailableException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>
/// Downloads MNIST and CIFAR-10 into a folder: each file is streamed to a temporary file next to its
/// destination while its checksum is computed, and renamed into place only when complete and
/// verified, so an interrupted or corrupted download never leaves a file that looks valid. Archives
/// are extracted with <see cref="SafeTarExtractor"/>. When the network is unreachable the error says
/// where to put the files by hand.
/// </summary>
public sealed class DatasetDownloader : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    public DatasetDownloader(HttpClient? http = null, TimeSpan? timeout = null)
    {
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = timeout ?? TimeSpan.FromMinutes(10) };
    }

    /// <summary>Downloads (if missing or wrong) the four MNIST .gz files into <paramref name="directory"/> and returns it; load with <see cref="MnistDataset.Load"/>.</summary>
    public async Task<string> DownloadMnistAsync(string directory, DatasetSource? source = null, CancellationToken ct = default)
    {
        source ??= DatasetSource.Mnist;
        Directory.CreateDirectory(directory);
        foreach (var f in source.Files)
            await EnsureFileAsync(source, f, Path.Combine(directory, f.Name), directory, ct).ConfigureAwait(false);
        return directory;
    }

    /// <summary>Downloads and safely extracts CIFAR-10 (binary) into <paramref name="directory"/>; returns the <c>cifar-10-batches-bin</c> folder.</summary>
    public async Task<string> DownloadCifar10Async(string directory, DatasetSource? source = null, bool keepArchive = false, CancellationToken ct = default)
    {
        source ??= DatasetSource.Cifar10;
        Directory.CreateDirectory(directory);
        string batches = Path.Combine(directory, "cifar-10-batches-bin");
        if (File.Exists(Path.Combine(batches, "test_batch.bin")) && File.Exists(Path.Combine(batches, "data_batch_5.bin")))
            return batches;
        foreach (var f in source.Files)
        {
            string archive = Path.Combine(directory, f.Name);
            await EnsureFileAsync(source, f, archive, directory, ct).ConfigureAwait(false);
            SafeTarExtractor.Extract(archive, directory);
            if (!keepArchive) File.Delete(archive);
        }
        return batches;
    }

    /// <summary>
    /// Downloads <paramref name="url"/> to <paramref name="destination"/>, verifying the checksums that
    /// are given. Writes to <c>destination.part-*</c> first and renames only after verification; on any
    /// failure the temporary file is deleted. <c>sha256Prefix</c>: the start of the SHA-256 alone, as torchvision writes it
    /// into its weight files' names (resnet18-f37072fd.pth).
    /// </summary>
    public async Task DownloadFileAsync(Uri url, string destination, string? md5 = null, string? sha256 = null, CancellationToken ct = default, string? sha256Prefix = null)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        Directory.CreateDirectory(dir);
        string temp = $"{destination}.part-{Guid.NewGuid():N}";
        try
        {
            using (var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false))
            {
                if (!response.IsSuccessStatusCode)
                    throw new HttpRequestException($"GET {url} returned {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
                long? length = response.Content.Headers.ContentLength;
                using var md5h = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
                using var shah = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                long written = 0;
                await using (var src = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false))
                await using (var dst = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                {
                    var buf = new byte[1 << 16];
                    int n;
                    while ((n = await src.ReadAsync(buf, ct).ConfigureAwait(false)) > 0)
                    {
                        md5h.AppendData(buf, 0, n);
                        shah.AppendData(buf, 0, n);
                        await dst.WriteAsync(buf.AsMemory(0, n), ct).ConfigureAwait(false);
                        written += n;
                    }
                }
                if (length is long expected && written != expected)
                    throw new IOException($"Download of {url} is incomplete: expected {expected} bytes, got {written}.");
                Verify(url, "MD5", md5, md5h.GetHashAndReset());
                var sha = shah.GetHashAndReset();
                Verify(url, "SHA-256", sha256, sha);
                if (sha256Prefix is not null && !Hex(sha).StartsWith(sha256Prefix, StringComparison.OrdinalIgnoreCase))
                    throw new InvalidDataException($"Checksum mismatch for {url}: its SHA-256 must start with {sha256Prefix.ToLowerInvariant()}, got {Hex(sha)}. The download is corrupt and was deleted.");
            }
            File.Move(temp, destination, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Where to put the files by hand when downloading is not possible.</summary>
    public static string ManualInstructions(DatasetKind kind, string directory) => kind switch
    {
        DatasetKind.Mnist =>
            $"To install MNIST by hand, download {string.Join(", ", DatasetSource.Mnist.Files.Select(f => f.Name))} from {DatasetSource.Mnist.BaseUrl} " +
            $"(or http://yann.lecun.com/exdb/mnist/) and put them, gzipped or unpacked, into '{Path.GetFullPath(directory)}'. " +
            "A 10,000-image subset ships with the repository in data/mnist-10k (BundledData.MnistDirectory).",
        _ =>
            $"To install CIFAR-10 by hand, download {DatasetSource.Cifar10.BaseUrl}cifar-10-binary.tar.gz and unpack it into '{Path.GetFullPath(directory)}' " +
            "so that it contains cifar-10-batches-bin/data_batch_1.bin … data_batch_5.bin, test_batch.bin and batches.meta.txt.",
    };

    private async Task EnsureFileAsync(DatasetSource source, RemoteFile f, string path, string directory, CancellationToken ct)
    {
        if (File.Exists(path) && await MatchesAsync(path, f, ct).ConfigureAwait(false)) return;
        var url = new Uri(source.BaseUrl, f.Name);
        try
        {
            await DownloadFileAsync(url, path, f.Md5, f.Sha256, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (IsOffline(e, ct))
        {
            throw new DatasetUnavailableException(
                $"Could not download {url}: {e.Message} (offline or the server is unreachable). {ManualInstructions(source.Kind, directory)}", e);
        }
    }

    /// <summary>Whether <paramref name="e"/> says the network or server is unreachable (rather than a bad file).</summary>
    public static bool IsOffline(Exception e, CancellationToken ct) =>
        e is HttpRequestException { StatusCode: null } || e is SocketException ||
        (e is TaskCanceledException && !ct.IsCancellationRequested) || e.InnerException is SocketException;

    private static async Task<bool> MatchesAsync(string path, RemoteFile f, CancellationToken ct)
    {
        if (f.Md5 is null && f.Sha256 is null) return true;
        await using var fs = File.OpenRead(path);
        if (f.Md5 is not null && !Hex(await MD5.HashDataAsync(fs, ct).ConfigureAwait(false)).Equals(f.Md5, StringComparison.OrdinalIgnoreCase)) return false;
        fs.Position = 0;
        return f.Sha256 is null || Hex(await SHA256.HashDataAsync(fs, ct).ConfigureAwait(false)).Equals(f.Sha256, StringComparison.OrdinalIgnoreCase);
    }

    private static void Verify(Uri url, string algorithm, string? expected, byte[] actual)
    {
        if (expected is null) return;
        string got = Hex(actual);
        if (!got.Equals(expected, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"Checksum mismatch for {url}: {algorithm} expected {expected.ToLowerInvariant()}, got {got}. The download is corrupt and was deleted.");
    }

    private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}
