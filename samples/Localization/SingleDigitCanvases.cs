using ModelDsl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Localization;

/// <summary>
/// One MNIST digit per black square canvas, at a random scale and position, made in memory: the localisation task
/// (DigitCanvases writes multi-digit canvases to files at the digits' own scale; here each canvas holds exactly one digit and
/// its size varies, so the box must be read from the image). The digit's 28×28 patch is resized (bilinear) to a random side in
/// [<c>minSide</c>, <c>maxSide</c>] and placed wholly inside the canvas; its box is the patch's ink box (pixels above 127 of
/// 255) mapped through that resize, in continuous pixel coordinates (x1, y1, x2, y2).
/// </summary>
public static class SingleDigitCanvases
{
    /// <summary>
    /// <paramref name="count"/> canvases from <paramref name="digits"/> (each digit once, in a seeded random order, then again).
    /// Returns a dataset with images N×1×side×side in [0, 1] and targets N×5: the digit, then the box divided by the side.
    /// </summary>
    public static TensorDataset Make(TensorDataset digits, int count, int seed, int side = 64, int minSide = 24, int maxSide = 48)
    {
        ArgumentNullException.ThrowIfNull(digits);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (minSide < 1 || maxSide < minSide || maxSide > side)
            throw new ArgumentOutOfRangeException(nameof(maxSide), $"Digit sides must satisfy 1 ≤ {minSide} ≤ {maxSide} ≤ the canvas side {side}.");
        int dh = digits.Height, dw = digits.Width, plane = dh * dw;
        var random = new Random(seed);
        var order = Enumerable.Range(0, digits.Count).OrderBy(_ => random.Next()).ToArray();
        byte[] pixels;
        long[] labels;
        using (var scope = NewDisposeScope())
        {
            pixels = digits.Images.to_type(ScalarType.Byte).contiguous().data<byte>().ToArray();
            labels = digits.Labels.contiguous().data<long>().ToArray();
        }
        var canvases = zeros(count, 1, side, side);
        var targets = new float[count * 5];
        for (int i = 0; i < count; i++)
        {
            int d = order[i % order.Length];
            var ink = InkBox(pixels.AsSpan(d * plane, plane), dw, dh);
            int s = random.Next(minSide, maxSide + 1);
            int ox = random.Next(0, side - s + 1), oy = random.Next(0, side - s + 1);
            using (var scope = NewDisposeScope())
            {
                var patch = digits.Images[d].to_type(ScalarType.Float32).unsqueeze(0);
                if (digits.Images.dtype == ScalarType.Byte) patch = patch / 255;
                var resized = nn.functional.interpolate(patch, new long[] { s, s }, mode: InterpolationMode.Bilinear, align_corners: false).clamp(0, 1);
                canvases[i, 0].slice(0, oy, oy + s, 1).slice(1, ox, ox + s, 1).copy_(resized[0, 0]);
            }
            double sx = s / (double)dw, sy = s / (double)dh;
            targets[i * 5] = labels[d];
            targets[i * 5 + 1] = (float)((ox + ink.X1 * sx) / side);
            targets[i * 5 + 2] = (float)((oy + ink.Y1 * sy) / side);
            targets[i * 5 + 3] = (float)((ox + ink.X2 * sx) / side);
            targets[i * 5 + 4] = (float)((oy + ink.Y2 * sy) / side);
        }
        return new TensorDataset(canvases, tensor(targets, new long[] { count, 5 }));
    }

    /// <summary>The bounding box of the pixels above 127 (continuous: column x covers [x, x + 1)); the whole patch when it has no ink.</summary>
    private static (int X1, int Y1, int X2, int Y2) InkBox(ReadOnlySpan<byte> patch, int w, int h)
    {
        int x1 = w, y1 = h, x2 = -1, y2 = -1;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (patch[y * w + x] > 127)
                {
                    x1 = Math.Min(x1, x); x2 = Math.Max(x2, x);
                    y1 = Math.Min(y1, y); y2 = Math.Max(y2, y);
                }
        return x2 < 0 ? (0, 0, w, h) : (x1, y1, x2 + 1, y2 + 1);
    }
}
