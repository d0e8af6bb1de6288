using System.Globalization;

namespace ModelDsl.Data;

/// <summary>
/// One object: an axis-aligned box in pixels, corners (X1, Y1)–(X2, Y2) with X2 &gt; X1 and Y2 &gt; Y1
/// (continuous coordinates: pixel column x covers [x, x + 1), so a box around columns 3..7 is X1 = 3,
/// X2 = 8), and its class index. YOLO and COCO labels both read into this and write from it.
/// </summary>
public readonly record struct LabeledBox(int Class, double X1, double Y1, double X2, double Y2)
{
    public double Width => X2 - X1;
    public double Height => Y2 - Y1;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"class {Class} [{X1:0.###}, {Y1:0.###}, {X2:0.###}, {Y2:0.###}]");

    /// <summary>
    /// Why this box is not a valid label of a <paramref name="imageWidth"/>×<paramref name="imageHeight"/>
    /// image with <paramref name="classCount"/> classes, or null when it is. <paramref name="tolerance"/>
    /// (pixels) absorbs the rounding of normalised or decimal coordinates.
    /// </summary>
    public string? Problem(int imageWidth, int imageHeight, int classCount, double tolerance = 1e-3)
    {
        if (Class < 0 || Class >= classCount) return $"class index {Class} is out of range (the dataset has {classCount} classes: 0..{classCount - 1})";
        if (!(double.IsFinite(X1) && double.IsFinite(Y1) && double.IsFinite(X2) && double.IsFinite(Y2))) return $"box {this} has a non-finite coordinate";
        if (!(Width > 0) || !(Height > 0)) return $"box {this} has a non-positive size ({Width:0.###}×{Height:0.###})";
        if (X1 < -tolerance || Y1 < -tolerance || X2 > imageWidth + tolerance || Y2 > imageHeight + tolerance)
            return $"box {this} lies outside the {imageWidth}×{imageHeight} image";
        return null;
    }
}
