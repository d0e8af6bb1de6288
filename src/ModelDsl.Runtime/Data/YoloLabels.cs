using System.Globalization;
using System.Text;

namespace ModelDsl.Data;

/// <summary>
/// YOLO's detection labels: one text file per image (<c>labels/x.txt</c> beside <c>images/x.png</c>), one
/// object per line as <c>class cx cy w h</c> — the box's centre and size as fractions of the image's
/// width and height. Read into pixel <see cref="LabeledBox"/>es (xyxy) and written back from them.
/// </summary>
public static class YoloLabels
{
    /// <summary>
    /// YOLO's layout rule: the label of <c>root/images/a/b.jpg</c> is <c>root/labels/a/b.txt</c> (the last
    /// <c>images</c> folder of the path becomes <c>labels</c>, the extension <c>.txt</c>).
    /// </summary>
    public static string LabelPathFor(string imagePath)
    {
        var full = Path.GetFullPath(imagePath);
        var parts = full.Split(Path.DirectorySeparatorChar);
        int i = Array.LastIndexOf(parts, "images", parts.Length - 2);
        if (i < 0)
            throw new ArgumentException($"YOLO labels sit in a 'labels' folder beside 'images'; '{imagePath}' is not inside an 'images' folder.", nameof(imagePath));
        parts[i] = "labels";
        return Path.ChangeExtension(string.Join(Path.DirectorySeparatorChar, parts), ".txt");
    }

    /// <summary>
    /// Reads one label file for an image of <paramref name="imageWidth"/>×<paramref name="imageHeight"/>
    /// pixels. Blank lines are skipped; anything else that is not five numbers with an integer class in
    /// range and a box of positive size inside the image is an error naming the file and line.
    /// </summary>
    public static IReadOnlyList<LabeledBox> Read(string path, int imageWidth, int imageHeight, int classCount)
    {
        var boxes = new List<LabeledBox>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var box = ParseLine(line, imageWidth, imageHeight, out var error);
            error ??= box.Problem(imageWidth, imageHeight, classCount);
            if (error is not null) throw new InvalidDataException($"{path}:{lineNumber}: {error} (line: \"{line.Trim()}\").");
            boxes.Add(box);
        }
        return boxes;
    }

    private static LabeledBox ParseLine(string line, int w, int h, out string? error)
    {
        var tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        error = null;
        if (tokens.Length != 5)
        {
            error = $"expected 5 values 'class cx cy w h', found {tokens.Length}" +
                    (tokens.Length > 5 && tokens.Length % 2 == 1 ? " (a polygon? YOLO segmentation labels are not box labels)" : "");
            return default;
        }
        if (!int.TryParse(tokens[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int cls))
        {
            error = $"class '{tokens[0]}' is not an integer";
            return default;
        }
        var v = new double[4];
        for (int k = 0; k < 4; k++)
            if (!double.TryParse(tokens[k + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out v[k]))
            {
                error = $"'{tokens[k + 1]}' is not a number";
                return default;
            }
        double cx = v[0] * w, cy = v[1] * h, bw = v[2] * w, bh = v[3] * h;
        return new LabeledBox(cls, cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2);
    }

    /// <summary>The label file's text for <paramref name="boxes"/> of a <paramref name="imageWidth"/>×<paramref name="imageHeight"/> image.</summary>
    public static string Format(IEnumerable<LabeledBox> boxes, int imageWidth, int imageHeight)
    {
        var sb = new StringBuilder();
        foreach (var b in boxes)
        {
            // Nine significant digits: a float32-exact round trip of any pixel coordinate up to 10⁵ px.
            string F(double x) => x.ToString("0.#########", CultureInfo.InvariantCulture);
            sb.Append(b.Class.ToString(CultureInfo.InvariantCulture)).Append(' ')
              .Append(F((b.X1 + b.X2) / 2 / imageWidth)).Append(' ').Append(F((b.Y1 + b.Y2) / 2 / imageHeight)).Append(' ')
              .Append(F(b.Width / imageWidth)).Append(' ').Append(F(b.Height / imageHeight)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Writes <paramref name="boxes"/> to <paramref name="path"/> (folders created); no boxes gives an empty file.</summary>
    public static void Write(string path, IEnumerable<LabeledBox> boxes, int imageWidth, int imageHeight)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        File.WriteAllText(path, Format(boxes, imageWidth, imageHeight));
    }
}
