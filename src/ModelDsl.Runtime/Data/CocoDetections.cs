using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelDsl.Data;

/// <summary>
/// COCO's detection annotations (the <c>instances_*.json</c> layout): <c>images</c> (id, file_name,
/// width, height), <c>annotations</c> (image_id, category_id, bbox = [x, y, width, height] in pixels) and
/// <c>categories</c> (id, name). Category ids need not be contiguous (COCO's run 1..90 with gaps): class
/// index k is the k-th category in ascending id order. Crowd annotations (<c>iscrowd</c> = 1) are kept
/// out of the boxes and counted, as COCO's evaluation does not count them as objects to find.
/// </summary>
public static class CocoDetections
{
    /// <summary>What a COCO file holds, as ModelDsl boxes.</summary>
    public sealed record Contents(IReadOnlyList<string> ClassNames, IReadOnlyList<long> CategoryIds, IReadOnlyList<ImageBoxes> Images, int CrowdSkipped);

    /// <summary>
    /// Reads <paramref name="jsonPath"/>; image file names resolve against <paramref name="imagesDirectory"/>.
    /// Errors name the file and, for JSON syntax, the line; for content, the annotation or image id.
    /// </summary>
    public static Contents Read(string jsonPath, string imagesDirectory)
    {
        CocoFile file;
        try
        {
            using var stream = File.OpenRead(jsonPath);
            file = JsonSerializer.Deserialize(stream, CocoJsonContext.Default.CocoFile)
                   ?? throw new InvalidDataException($"{jsonPath}: the file holds JSON null, not a COCO object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{jsonPath}:{(e.LineNumber ?? -1) + 1}: not valid COCO JSON: {e.Message}", e);
        }
        if (file.Images is null || file.Categories is null)
            throw new InvalidDataException($"{jsonPath}: a COCO detection file needs 'images' and 'categories' arrays{(file.Images is null ? " ('images' is missing)" : " ('categories' is missing)")}.");
        var categories = file.Categories.OrderBy(c => c.Id).ToArray();
        var classOf = new Dictionary<long, int>();
        for (int k = 0; k < categories.Length; k++)
            if (!classOf.TryAdd(categories[k].Id, k))
                throw new InvalidDataException($"{jsonPath}: category id {categories[k].Id} appears twice.");
        var names = categories.Select(c => c.Name ?? c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        var imageIndex = new Dictionary<long, int>();
        var boxes = new List<LabeledBox>[file.Images.Count];
        for (int i = 0; i < file.Images.Count; i++)
        {
            var img = file.Images[i];
            if (string.IsNullOrEmpty(img.FileName)) throw new InvalidDataException($"{jsonPath}: image id {img.Id} has no file_name.");
            if (img.Width <= 0 || img.Height <= 0) throw new InvalidDataException($"{jsonPath}: image id {img.Id} ('{img.FileName}') has size {img.Width}×{img.Height}; width and height must be positive.");
            if (!imageIndex.TryAdd(img.Id, i)) throw new InvalidDataException($"{jsonPath}: image id {img.Id} appears twice.");
            boxes[i] = [];
        }
        int crowd = 0;
        foreach (var a in file.Annotations ?? [])
        {
            string where = $"{jsonPath}: annotation id {a.Id}";
            if (!imageIndex.TryGetValue(a.ImageId, out int i)) throw new InvalidDataException($"{where}: image_id {a.ImageId} is not among the images.");
            var img = file.Images[i];
            if (!classOf.TryGetValue(a.CategoryId, out int cls))
                throw new InvalidDataException($"{where} (image '{img.FileName}'): category_id {a.CategoryId} is not among the categories ({string.Join(", ", categories.Select(c => c.Id))}).");
            if (a.Bbox is not { Length: 4 }) throw new InvalidDataException($"{where} (image '{img.FileName}'): bbox must be [x, y, width, height]; got {a.Bbox?.Length ?? 0} values.");
            if (a.IsCrowd == 1) { crowd++; continue; }
            var box = new LabeledBox(cls, a.Bbox[0], a.Bbox[1], a.Bbox[0] + a.Bbox[2], a.Bbox[1] + a.Bbox[3]);
            var problem = box.Problem(img.Width, img.Height, categories.Length);
            if (problem is not null) throw new InvalidDataException($"{where} (image '{img.FileName}'): {problem}.");
            boxes[i].Add(box);
        }
        var images = file.Images.Select((img, i) => new ImageBoxes(Path.Combine(imagesDirectory, img.FileName!), img.Width, img.Height, boxes[i])).ToArray();
        return new Contents(names, categories.Select(c => c.Id).ToArray(), images, crowd);
    }

    /// <summary>
    /// Writes <paramref name="images"/> as a COCO file: image ids 1..N in order, categories id k + 1 for class k,
    /// file names relative to <paramref name="imagesDirectory"/> (with '/').
    /// </summary>
    public static void Write(string jsonPath, IReadOnlyList<string> classNames, IReadOnlyList<ImageBoxes> images, string imagesDirectory)
    {
        var file = new CocoFile
        {
            Categories = classNames.Select((n, k) => new CocoCategory { Id = k + 1, Name = n }).ToList(),
            Images = images.Select((img, i) => new CocoImage
            {
                Id = i + 1,
                FileName = Path.GetRelativePath(imagesDirectory, img.ImagePath).Replace(Path.DirectorySeparatorChar, '/'),
                Width = img.Width,
                Height = img.Height,
            }).ToList(),
            Annotations = [],
        };
        long id = 1;
        for (int i = 0; i < images.Count; i++)
            foreach (var b in images[i].Boxes)
            {
                if (b.Class < 0 || b.Class >= classNames.Count)
                    throw new ArgumentException($"Image '{images[i].ImagePath}': {b} has a class outside the {classNames.Count} class names.", nameof(images));
                file.Annotations.Add(new CocoAnnotation
                {
                    Id = id++, ImageId = i + 1, CategoryId = b.Class + 1,
                    Bbox = [b.X1, b.Y1, b.Width, b.Height], Area = b.Width * b.Height,
                });
            }
        var dir = Path.GetDirectoryName(Path.GetFullPath(jsonPath));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        using var stream = File.Create(jsonPath);
        JsonSerializer.Serialize(stream, file, CocoJsonContext.Default.CocoFile);
    }
}

internal sealed class CocoFile
{
    [JsonPropertyName("images")] public List<CocoImage>? Images { get; set; }
    [JsonPropertyName("annotations")] public List<CocoAnnotation>? Annotations { get; set; }
    [JsonPropertyName("categories")] public List<CocoCategory>? Categories { get; set; }
}

internal sealed class CocoImage
{
    [JsonPropertyName("id")] public long Id { get; set; }
    [JsonPropertyName("file_name")] public string? FileName { get; set; }
    [JsonPropertyName("width")] public int Width { get; set; }
    [JsonPropertyName("height")] public int Height { get; set; }
}

internal sealed class CocoAnnotation
{
    [JsonPropertyName("id")] public long Id { get; set; }
    [JsonPropertyName("image_id")] public long ImageId { get; set; }
    [JsonPropertyName("category_id")] public long CategoryId { get; set; }
    [JsonPropertyName("bbox")] public double[]? Bbox { get; set; }
    [JsonPropertyName("area")] public double Area { get; set; }
    [JsonPropertyName("iscrowd")] public int IsCrowd { get; set; }
}

internal sealed class CocoCategory
{
    [JsonPropertyName("id")] public long Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
}

// Source-generated (de)serialisation: no reflection, trimming-safe.
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(CocoFile))]
internal sealed partial class CocoJsonContext : JsonSerializerContext;
