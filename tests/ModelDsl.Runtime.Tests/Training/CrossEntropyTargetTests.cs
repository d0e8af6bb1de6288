using System.Globalization;
using ModelDsl.Runtime.Tests.Interop;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>
/// Loss.CrossEntropy takes the targets nn.CrossEntropyLoss takes — class indices or class probabilities, with label
/// smoothing — and gives PyTorch's numbers (Debian's PyTorch is the oracle); anything else is one line naming both shapes.
/// </summary>
public class CrossEntropyTargetTests
{
    private const string Script = """
        import json, sys, torch
        import torch.nn.functional as F
        d = json.load(open(sys.argv[1]))
        logits = torch.tensor(d["logits"], dtype=torch.float32)
        probs = torch.tensor(d["probs"], dtype=torch.float32)
        idx = torch.tensor(d["indices"], dtype=torch.int64)
        out = [F.cross_entropy(logits, probs).item(), F.cross_entropy(logits, probs, label_smoothing=0.1).item(),
               F.cross_entropy(logits, idx, label_smoothing=0.1).item()]
        print(json.dumps(out))
        """;

    private static string Json(Tensor t) => "[" + string.Join(",", Enumerable.Range(0, (int)t.shape[0])
        .Select(i => "[" + string.Join(",", t[i].data<float>().ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]")) + "]";

    [Fact]
    public void Probability_targets_and_label_smoothing_give_PyTorchs_loss()
    {
        var g = new Generator(3);
        using var logits = randn([6, 4], generator: g);
        using var probs = randn([6, 4], generator: g).softmax(1);
        using var indices = tensor(new long[] { 0, 3, 1, 2, 2, 0 });
        var dir = Directory.CreateTempSubdirectory("ce-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "data.json"),
                $"{{\"logits\": {Json(logits)}, \"probs\": {Json(probs)}, \"indices\": [{string.Join(",", indices.data<long>().ToArray())}]}}");
            var expected = System.Text.Json.JsonSerializer.Deserialize<double[]>(
                SystemPython.Run(Script, dir, [Path.Combine(dir, "data.json")], [SystemPython.Torch]).Trim())!;
            Assert.Equal(expected[0], Loss.CrossEntropy().Compute(logits, probs).item<float>(), 5);
            Assert.Equal(expected[1], Loss.CrossEntropy(labelSmoothing: 0.1).Compute(logits, probs).item<float>(), 5);
            Assert.Equal(expected[2], Loss.CrossEntropy(labelSmoothing: 0.1).Compute(logits, indices).item<float>(), 5);
            // Float targets holding whole class indices are taken as indices, as a loader of float labels gives them.
            Assert.Equal(expected[2], Loss.CrossEntropy(labelSmoothing: 0.1).Compute(logits, indices.to_type(ScalarType.Float32)).item<float>(), 5);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void A_target_that_fits_neither_form_is_one_line_naming_both_shapes()
    {
        using var logits = randn(6, 4);
        var wrongShape = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy().Compute(logits, zeros(6, 3)));
        Assert.Equal("CrossEntropy: the targets are neither class indices (shape [6]) nor class probabilities (the logits' shape): logits [6, 4], targets [6, 3] (Float32).", wrongShape.Message);
        var fractions = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy().Compute(logits, full(6, 0.5f)));
        Assert.StartsWith("CrossEntropy: float targets of the index shape must hold whole class indices", fractions.Message);
        Assert.DoesNotContain('\n', fractions.Message);
    }
}
