namespace ModelDsl.Data;

/// <summary>The labels of one image: its file, its size in pixels, and its boxes (none is allowed: a background image).</summary>
public sealed record ImageBoxes(string ImagePath, int Width, int Height, IReadOnlyList<LabeledBox> Boxes);
