namespace ModelDsl.Zoo;

/// <summary>ImageNet-1K's 1000 class names in the order of a classifier's outputs, as torchvision lists them (its _IMAGENET_CATEGORIES).</summary>
public static class ImageNetClasses
{
    private static readonly Lazy<IReadOnlyList<string>> s_names = new(Read);

    public static IReadOnlyList<string> Names => s_names.Value;

    private static IReadOnlyList<string> Read()
    {
        using var stream = typeof(ImageNetClasses).Assembly.GetManifestResourceStream("ModelDsl.Zoo.imagenet-classes.txt")
            ?? throw new InvalidOperationException("ModelDsl.Zoo lacks its embedded imagenet-classes.txt.");
        using var reader = new StreamReader(stream);
        var names = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (names.Length != 1000) throw new InvalidDataException($"imagenet-classes.txt has {names.Length} names, not 1000.");
        return names;
    }
}
