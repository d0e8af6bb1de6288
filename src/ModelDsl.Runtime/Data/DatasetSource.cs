namespace ModelDsl.Data;

/// <summary>The datasets <see cref="DatasetDownloader"/> knows.</summary>
public enum DatasetKind
{
    Mnist,
    Cifar10,
}

/// <summary>One file to download and the checksum it must have (MD5 as torchvision lists it, and/or SHA-256).</summary>
public sealed record RemoteFile(string Name, string? Md5 = null, string? Sha256 = null);

/// <summary>
/// Where a dataset's files live. The base URL is a parameter so tests (and mirrors) can point the
/// downloader elsewhere; the canonical sources and checksums are those torchvision uses.
/// </summary>
public sealed record DatasetSource(DatasetKind Kind, Uri BaseUrl, IReadOnlyList<RemoteFile> Files)
{
    /// <summary>
    /// MNIST from the mirror torchvision downloads from first (yann.lecun.com now often refuses
    /// scripted downloads); MD5s from torchvision.datasets.MNIST.
    /// </summary>
    public static DatasetSource Mnist { get; } = new(DatasetKind.Mnist, new Uri("https://ossci-datasets.s3.amazonaws.com/mnist/"),
    [
        new("train-images-idx3-ubyte.gz", Md5: "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        new("train-labels-idx1-ubyte.gz", Md5: "d53e105ee54ea40749a09fcbcd1e9432"),
        new("t10k-images-idx3-ubyte.gz", Md5: "9fb629c4189551a2d022fa330f9573f3"),
        new("t10k-labels-idx1-ubyte.gz", Md5: "ec29112dd5afa0611ce80d1b7f02629c"),
    ]);

    /// <summary>The binary version of CIFAR-10 from its authors' site (extracts to cifar-10-batches-bin/).</summary>
    public static DatasetSource Cifar10 { get; } = new(DatasetKind.Cifar10, new Uri("https://www.cs.toronto.edu/~kriz/"),
    [
        new("cifar-10-binary.tar.gz", Md5: "c32a1d4ab5d03f1284b67883e8d87530"),
    ]);

    public static DatasetSource For(DatasetKind kind) => kind == DatasetKind.Mnist ? Mnist : Cifar10;

    /// <summary>The same files from another base URL (a mirror, or a test's loopback server).</summary>
    public DatasetSource WithBaseUrl(Uri baseUrl) => this with { BaseUrl = baseUrl };
}
