using System.Globalization;
using ModelDsl.Augmentation;
using ModelDsl.Runtime.Tests.Interop;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>
/// Every op of the AutoAugment family at two magnitudes (both signs where signed) against torchvision's
/// <c>_apply_op(img, op, magnitude, NEAREST, fill=None)</c> on RGB and gray batches, and the per-sample dispatch.
/// </summary>
public class AutoAugmentOpsTests(ITestOutputHelper output)
{
    // Magnitudes in torchvision's units for uint8 images (what the policies draw). Non-square images catch h/w mix-ups;
    // translations are fractional to check the int() truncation; rotations include one past 90°.
    private static readonly (AugmentOp Op, double Magnitude)[] Cases =
    [
        (AugmentOp.ShearX, 0.25), (AugmentOp.ShearX, -0.6), (AugmentOp.ShearY, 0.3), (AugmentOp.ShearY, -0.95),
        (AugmentOp.TranslateX, 4.7), (AugmentOp.TranslateX, -6.2), (AugmentOp.TranslateY, 3.0), (AugmentOp.TranslateY, -5.9),
        (AugmentOp.Rotate, 30.0), (AugmentOp.Rotate, -97.0),
        (AugmentOp.Brightness, 0.4), (AugmentOp.Brightness, -0.7), (AugmentOp.Color, 0.6), (AugmentOp.Color, -0.5),
        (AugmentOp.Contrast, 0.8), (AugmentOp.Contrast, -0.6), (AugmentOp.Sharpness, 0.9), (AugmentOp.Sharpness, -0.8),
        (AugmentOp.Posterize, 6.0), (AugmentOp.Posterize, 2.0), (AugmentOp.Solarize, 200.0), (AugmentOp.Solarize, 64.0),
        (AugmentOp.AutoContrast, 0.0), (AugmentOp.Equalize, 0.0), (AugmentOp.Invert, 0.0), (AugmentOp.Identity, 0.0),
    ];

    private static bool Geometric(AugmentOp op) => op is AugmentOp.ShearX or AugmentOp.ShearY or AugmentOp.TranslateX or AugmentOp.TranslateY or AugmentOp.Rotate;

    private static string Script()
    {
        string cases = string.Join(", ", Cases.Select(c => $"(\"{c.Op}\", {c.Magnitude.ToString("R", CultureInfo.InvariantCulture)})"));
        return """
            import sys, torch
            from torchvision.transforms import InterpolationMode
            from torchvision.transforms.autoaugment import _apply_op
            out = sys.argv[1]
            g = torch.Generator().manual_seed(5)
            images = {"rgb": torch.rand(3, 3, 13, 17, generator=g), "gray": torch.rand(2, 1, 13, 17, generator=g)}
            """ + "\ncases = [" + cases + "]\n" + """
            saved = dict(images)
            for name, img in images.items():
                levels = (img * 255).floor().to(torch.uint8)
                for i, (op, m) in enumerate(cases):
                    if op in ("Posterize", "Equalize"):     # torchvision defines them on uint8 only: the 8-bit levels, back in [0, 1]
                        y = _apply_op(levels, op, m, InterpolationMode.NEAREST, None).float() / 255
                    elif op == "Solarize":                  # on floats the threshold is the uint8 one over 255
                        y = _apply_op(img, op, m / 255, InterpolationMode.NEAREST, None)
                    else:
                        y = _apply_op(img, op, m, InterpolationMode.NEAREST, None)
                    saved[f"{name}|{i}"] = y.contiguous()
            torch.save(saved, f"{out}/reference.pt")
            print("ok")
            """;
    }

    private static Dictionary<string, Tensor>? s_saved;
    private static Dictionary<string, Tensor> Saved => s_saved ??= Kept(TorchvisionReference.Compute(Script()));

    // The reference tensors outlive any test's dispose scope (the first test to ask may be inside one): the cache keeps them.
    private static Dictionary<string, Tensor> Kept(Dictionary<string, Tensor> saved)
    {
        foreach (var t in saved.Values) t.DetachFromDisposeScope();
        return saved;
    }

    [Fact]
    public void Every_op_at_two_magnitudes_gives_torchvisions_pixels_within_one_level()
    {
        foreach (var image in new[] { "rgb", "gray" })
        {
            var x = Saved[image];
            for (int i = 0; i < Cases.Length; i++)
            {
                using var scope = NewDisposeScope();
                var (op, m) = Cases[i];
                var expected = Saved[$"{image}|{i}"];
                var magnitude = full([x.shape[0]], m, ScalarType.Float32);
                var y = AugmentationOps.Apply(x, op, magnitude, GridSampleMode.Nearest);
                Assert.Equal(expected.shape, y.shape);
                var diff = (y - expected).abs();
                double max = diff.max().item<float>();
                long off = diff.gt(1 / 255.0 + 1e-6).sum().item<long>();
                output.WriteLine($"{image} {op} {m}: max |Δ| {max:G3}, {off} of {diff.numel()} values beyond 1/255");
                if (Geometric(op))
                    // Nearest-neighbour geometry: a source coordinate that falls within float rounding of a pixel edge
                    // (x.5) may round the other way here than in torchvision (the matrix is the same to the last bit of
                    // float64 but the grid's float32 products need not be), taking the neighbouring pixel; a handful of
                    // values at most, bounded at 1 % of the batch.
                    Assert.True(off <= diff.numel() / 100, $"{image} {op} {m}: {off} of {diff.numel()} values differ by more than 1/255 (max {max})");
                else
                    Assert.True(off == 0, $"{image} {op} {m}: {off} values differ by more than 1/255 (max {max})");
            }
        }
    }

    [Fact]
    public void Each_sample_gets_its_own_op_and_magnitude_in_one_pass()
    {
        using var scope = NewDisposeScope();
        var x = Saved["rgb"];
        // Sample 0 rotated by −97°, sample 1 posterized to 2 bits, sample 2 contrast-reduced: the reference of each case's
        // run over the batch, at that sample.
        int[] picks = [Array.IndexOf(Cases, (AugmentOp.Rotate, -97.0)), Array.IndexOf(Cases, (AugmentOp.Posterize, 2.0)), Array.IndexOf(Cases, (AugmentOp.Contrast, -0.6))];
        var ops = Cases.Select(c => c.Op).ToArray();
        var opIndex = tensor(picks.Select(k => (long)k).ToArray());
        var magnitude = tensor(picks.Select(k => (float)Cases[k].Magnitude).ToArray());
        var y = AugmentationOps.ApplyEach(x, opIndex, magnitude, ops, GridSampleMode.Nearest);
        for (int s = 0; s < picks.Length; s++)
        {
            var expected = Saved[$"rgb|{picks[s]}"][s];
            long off = (y[s] - expected).abs().gt(1 / 255.0 + 1e-6).sum().item<long>();
            Assert.True(off <= expected.numel() / 100, $"sample {s} ({Cases[picks[s]]}): {off} values off");
        }
        // The value ops.Length leaves a sample as it is.
        var untouched = AugmentationOps.ApplyEach(x, tensor(new long[] { ops.Length, picks[1], ops.Length }), magnitude, ops, GridSampleMode.Nearest);
        Assert.True(untouched[0].eq(x[0]).all().item<bool>() && untouched[2].eq(x[2]).all().item<bool>());
        Assert.False(untouched[1].eq(x[1]).all().item<bool>());
    }
}
