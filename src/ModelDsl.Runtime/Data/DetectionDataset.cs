using TorchSharp;

namespace ModelDsl.Data;

/// <summary>
/// Detection data from files: images plus their boxes read from YOLO label files (<see cref="FromYolo"/>)
/// or a COCO JSON file (<see cref="FromCoco"/>). All labels are read and checked when the dataset is built,
/// so a malformed line or box fails at once, naming the file (and line); pixels are decoded in
/// <see cref="Get"/>. Images without any box are allowed (background images) and counted in
/// <see cref="ImagesWithoutBoxes"/>. Images of another size than the dataset's are stretched, boxes with them.
/// </summary>
public sealed class DetectionDataset : IDetectionDataset
{
    private readonly ImageBoxes[] _images;
    private readonly string[] _classes;
    private readonly DenseDatasetOptions _options;
    private readonly IImageDecoder _decoder;

    private DetectionDataset(IReadOnlyList<ImageBoxes> images, IReadOnlyList<string> classNames, DenseDatasetOptions options, string source)
    {
        if (images.Count == 0) throw new InvalidDataException($"Detection dataset '{source}' has no images.");
        _images = images.ToArray();
        _classes = classNames.ToArray();
        _options = options;
        _decoder = options.Decoder ?? ImageDecoders.Default;
        Source = source;
        Channels = options.Channels;
        Height = options.Height ?? _images[0].Height;
        Width = options.Width ?? _images[0].Width;
        foreach (var img in _images) DenseImages.CheckSize(img.Width, img.Height, Width, Height, options.Resize, img.ImagePath);
        ImagesWithoutBoxes = _images.Count(i => i.Boxes.Count == 0);
    }

    /// <summary>
    /// YOLO layout: <c>root/images/**/x.png</c> with <c>root/labels/**/x.txt</c>. A missing or empty label
    /// file means an image without objects (YOLO's convention) and is counted, not refused.
    /// </summary>
    public static DetectionDataset FromYolo(string root, IReadOnlyList<string> classNames, DenseDatasetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        options ??= new DenseDatasetOptions();
        options.Check();
        var files = DenseImages.List(Path.Combine(root, "images"), $"YOLO dataset '{root}'");
        var images = new ImageBoxes[files.Length];
        int missing = 0;
        for (int i = 0; i < files.Length; i++)
        {
            var (w, h) = ImageSize.Read(files[i]);
            var label = YoloLabels.LabelPathFor(files[i]);
            IReadOnlyList<LabeledBox> boxes = [];
            if (File.Exists(label)) boxes = YoloLabels.Read(label, w, h, classNames.Count);
            else missing++;
            images[i] = new ImageBoxes(files[i], w, h, boxes);
        }
        return new DetectionDataset(images, classNames, options, root) { MissingLabelFiles = missing };
    }

    /// <summary>
    /// COCO layout: one JSON file (<paramref name="annotationsPath"/>) whose file names resolve in
    /// <paramref name="imagesDirectory"/>. Each listed image must exist with the size the JSON gives.
    /// </summary>
    public static DetectionDataset FromCoco(string imagesDirectory, string annotationsPath, DenseDatasetOptions? options = null)
    {
        options ??= new DenseDatasetOptions();
        options.Check();
        var coco = CocoDetections.Read(annotationsPath, imagesDirectory);
        foreach (var img in coco.Images)
        {
            var (w, h) = ImageSize.Read(img.ImagePath);
            if (w != img.Width || h != img.Height)
                throw new InvalidDataException($"{annotationsPath}: image '{img.ImagePath}' is {w}×{h} but the JSON says {img.Width}×{img.Height}.");
        }
        return new DetectionDataset(coco.Images, coco.ClassNames, options, annotationsPath) { CrowdSkipped = coco.CrowdSkipped };
    }

    /// <summary>The label root or annotation file this dataset came from.</summary>
    public string Source { get; }
    public int Count => _images.Length;
    public IReadOnlyList<string> ClassNames => _classes;
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    /// <summary>Images with no box (background images), allowed.</summary>
    public int ImagesWithoutBoxes { get; }
    /// <summary>YOLO: images with no label file at all (part of <see cref="ImagesWithoutBoxes"/>).</summary>
    public int MissingLabelFiles { get; private init; }
    /// <summary>COCO: crowd annotations left out.</summary>
    public int CrowdSkipped { get; private init; }

    /// <summary>The file, size and boxes (in the file's own pixels) of sample <paramref name="index"/>.</summary>
    public ImageBoxes Labels(int index) => _images[index];

    public (torch.Tensor Image, IReadOnlyList<LabeledBox> Boxes) Get(int index)
    {
        if ((uint)index >= (uint)_images.Length) throw new ArgumentOutOfRangeException(nameof(index), index, $"Dataset has {Count} samples.");
        var labels = _images[index];
        var img = DenseImages.Decode(labels.ImagePath, _decoder, Channels);
        if (img.Width != labels.Width || img.Height != labels.Height)
            throw new InvalidDataException($"Image '{labels.ImagePath}' decodes to {img.Width}×{img.Height} but its labels were read for {labels.Width}×{labels.Height}.");
        var image = DenseImages.ToTensor(img, Height, Width, _options.Resize, labels.ImagePath);
        if (img.Width == Width && img.Height == Height) return (image, labels.Boxes);
        double sx = (double)Width / img.Width, sy = (double)Height / img.Height;
        return (image, labels.Boxes.Select(b => b with { X1 = b.X1 * sx, X2 = b.X2 * sx, Y1 = b.Y1 * sy, Y2 = b.Y2 * sy }).ToArray());
    }
}
