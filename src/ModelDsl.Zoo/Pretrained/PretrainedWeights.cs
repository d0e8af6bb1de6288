namespace ModelDsl.Zoo;

/// <summary>How the weights' images were resized: torchvision's interpolation for its resize.</summary>
public enum ImageInterpolation
{
    Bilinear,
    Bicubic,
}

/// <summary>
/// The preprocessing weights were trained with (torchvision's <c>ImageClassification</c> preset): resize the shorter side to
/// <paramref name="ResizeSize"/>, crop the centre <paramref name="CropSize"/>², scale to [0, 1], normalise each channel.
/// </summary>
public sealed record ImagePreprocessing(int ResizeSize, int CropSize, float[] Mean, float[] Std, ImageInterpolation Interpolation = ImageInterpolation.Bilinear);

/// <summary>
/// One published weight file: the model it fits, its torchvision name, where it is published (the file name carries the start
/// of its SHA-256, checked on download as torchvision does), its parameter count, its preprocessing and ImageNet accuracy, and
/// PyTorch tensors the file holds that the model does not (<paramref name="Skip"/>: GoogLeNet's training-only heads).
/// </summary>
public sealed record PretrainedWeights(string Model, string TorchvisionName, Uri Url, long ParameterCount, ImagePreprocessing Preprocessing,
    double Top1, double Top5, IReadOnlyList<string>? Skip = null)
{
    /// <summary>The file's name (torchvision's, e.g. resnet18-f37072fd.pth).</summary>
    public string FileName => Url.Segments[^1];

    /// <summary>The start of the file's SHA-256, as torchvision writes it after the last '-' of the name.</summary>
    public string Sha256Prefix
    {
        get
        {
            string stem = Path.GetFileNameWithoutExtension(FileName);
            return stem[(stem.LastIndexOf('-') + 1)..];
        }
    }

    /// <summary>The class names in the order of the model's outputs (ImageNet's 1000).</summary>
    public IReadOnlyList<string> Categories => ImageNetClasses.Names;

    /// <summary>These weights from another base URL (a mirror, or a test's loopback server), the same file name and hash.</summary>
    public PretrainedWeights WithBaseUrl(Uri baseUrl) => this with { Url = new Uri(baseUrl, FileName) };
}
