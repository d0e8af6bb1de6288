using System.Net;
using System.Net.Sockets;
using Cifar10;
using SkiaSharp;
using Xunit;

namespace ModelDsl.Samples.Tests;

/// <summary>The CIFAR-10 sample: one quick epoch on a tiny folder in the real binary format, and the offline path.</summary>
public sealed class Cifar10Tests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cifar10-sample-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Tiny_cifar_folder_one_epoch_writes_confusion_matrix_and_checkpoint()
    {
        string batches = Path.Combine(_dir, "cifar-10-batches-bin");
        Directory.CreateDirectory(batches);
        var rng = new Random(5);
        // The real format: 1 label byte + 3,072 pixel bytes (R, G, B planes) per record.
        void Write(string name, int records)
        {
            var bytes = new byte[records * 3073];
            for (int r = 0; r < records; r++)
            {
                int label = r % 10;
                bytes[r * 3073] = (byte)label;
                for (int i = 1; i < 3073; i++) bytes[r * 3073 + i] = (byte)(label * 20 + rng.Next(60));
            }
            File.WriteAllBytes(Path.Combine(batches, name), bytes);
        }
        for (int i = 1; i <= 5; i++) Write($"data_batch_{i}.bin", 10);
        Write("test_batch.bin", 20);
        File.WriteAllLines(Path.Combine(batches, "batches.meta.txt"), ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]);

        var stdout = new StringWriter(); var stderr = new StringWriter();
        string outDir = Path.Combine(_dir, "out");
        int code = Cifar10Job.Run(new Cifar10Settings(_dir, Path.Combine(_dir, "cache"), outDir, Epochs: 1, BatchSize: 16), stdout, stderr);
        string output = stdout.ToString();

        Assert.True(code == 0, stderr.ToString() + output);
        Assert.Contains("50 train, 20 test images", output);
        Assert.Contains("CifarCnn: 3×32×32 -> 10", output);
        Assert.Contains("test accuracy: ", output);
        Assert.Contains("truck", output); // the report uses the meta file's class names
        using (var bitmap = SKBitmap.Decode(Path.Combine(outDir, "confusion_matrix.png")))
            Assert.True(bitmap is { Width: > 100, Height: > 100 });
        Assert.True(new FileInfo(Path.Combine(outDir, "checkpoint.bin")).Length > 5_852_170L * 4, "the checkpoint holds at least the weights");
        Assert.Contains("\"confusion_matrix\"", File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        Assert.False(Directory.Exists(Path.Combine(_dir, "cache")), "with --data nothing is downloaded");
    }

    [Fact]
    public void Offline_download_prints_the_downloaders_message_and_exits_1()
    {
        // A loopback port that was just free: nothing listens there, so the connection is refused at once.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var stdout = new StringWriter(); var stderr = new StringWriter();
        int code = Cifar10Job.Run(new Cifar10Settings(null, Path.Combine(_dir, "cache"), Path.Combine(_dir, "out"),
            Mirror: new Uri($"http://127.0.0.1:{port}/")), stdout, stderr);
        string errors = stderr.ToString();

        Assert.Equal(1, code);
        Assert.StartsWith($"error: Could not download http://127.0.0.1:{port}/cifar-10-binary.tar.gz", errors);
        Assert.Contains("offline or the server is unreachable", errors);
        Assert.Contains("To install CIFAR-10 by hand", errors);
        Assert.Contains("cifar-10-batches-bin/data_batch_1.bin", errors);
        Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries)); // one line, no stack trace
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "cache"), "*", SearchOption.AllDirectories)); // no partial download left
    }
}
