using System.Globalization;
using System.Text.Json;
using ModelDsl.Metrics;
using ModelDsl.Runtime.Tests.Interop;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Metrics;

/// <summary>
/// Precision, recall and F1 against Debian's scikit-learn on seeded random labels, with the defaults a PyTorch user
/// brings: <c>torchmetrics.Precision(task="multiclass", num_classes=c)</c> averages <b>micro</b> (so <c>new Precision(c)</c>
/// does), its per-task <c>MulticlassPrecision</c> <b>macro</b> (so <c>Precision.Multiclass(c)</c> does), and
/// <c>average=None</c> computes one score per class (so <see cref="Average.None"/>'s <c>Compute()</c> is that vector).
/// </summary>
public class SklearnReferenceTests
{
    private const string Script = """
        import json, sys
        from sklearn.metrics import precision_score, recall_score, f1_score
        data = json.load(open(sys.argv[1]))
        y, p, c = data["target"], data["pred"], data["classes"]
        out = {}
        for name, f in (("precision", precision_score), ("recall", recall_score), ("f1", f1_score)):
            out[name] = {
                "micro": f(y, p, average="micro", zero_division=0),
                "macro": f(y, p, average="macro", zero_division=0),
                "weighted": f(y, p, average="weighted", zero_division=0),
                "none": list(f(y, p, average=None, labels=list(range(c)), zero_division=0)),
            }
        print(json.dumps(out))
        """;

    [Theory]
    [InlineData(11, 5)]
    [InlineData(12, 3)]
    public void Defaults_and_per_class_vectors_equal_scikit_learns(int seed, int classes)
    {
        using var g = new Generator((ulong)seed);
        int n = 143;
        var logits = randn(new long[] { n, classes }, generator: g);
        // Skewed targets, and class 0 never predicted when absent from a row's top, so per-class scores differ.
        var targets = randint(0, classes, new long[] { n }, generator: g);
        long[] predicted = logits.argmax(1).data<long>().ToArray(), target = targets.data<long>().ToArray();

        var dir = Directory.CreateTempSubdirectory("modeldsl-sklearn-").FullName;
        try
        {
            var input = Path.Combine(dir, "labels.json");
            File.WriteAllText(input, JsonSerializer.Serialize(new { target, pred = predicted, classes }));
            var output = SystemPython.Run(Script, dir, [input], [SystemPython.Sklearn]);
            using var reference = JsonDocument.Parse(output.Trim().Split('\n')[^1]);

            void Check(string name, Func<Average?, ClassificationMetric> make, Func<ClassificationMetric> perTask)
            {
                var sk = reference.RootElement.GetProperty(name);
                double Sk(string average) => sk.GetProperty(average).GetDouble();
                ClassScores Run(ClassificationMetric m)
                {
                    using (m)
                    {
                        m.Update(logits[..60], targets[..60]); // streamed in two uneven batches
                        m.Update(logits[60..], targets[60..]);
                        return m.Compute();
                    }
                }

                var byDefault = make(null);
                Assert.Equal(Average.Micro, byDefault.Average);
                Assert.Equal(Sk("micro"), Run(byDefault), 12);
                var factory = perTask();
                Assert.Equal(Average.Macro, factory.Average);
                Assert.Equal(Sk("macro"), Run(factory), 12);
                Assert.Equal(Sk("weighted"), Run(make(Average.Weighted)), 12);

                var perClass = Run(make(Average.None));
                Assert.True(perClass.IsPerClass);
                var expected = sk.GetProperty("none").EnumerateArray().Select(e => e.GetDouble()).ToArray();
                Assert.Equal(classes, perClass.Count);
                for (int k = 0; k < classes; k++) Assert.Equal(expected[k], perClass[k], 12);
                // One number is refused with the reason, never a silent average.
                var refused = Assert.Throws<InvalidOperationException>(() => { double _ = perClass; });
                Assert.Contains("one score per class", refused.Message);
            }

            Check("precision", a => new Precision(classes, a), () => Precision.Multiclass(classes));
            Check("recall", a => new Recall(classes, a), () => Recall.Multiclass(classes));
            Check("f1", a => new F1Score(classes, a), () => F1Score.Multiclass(classes));
        }
        finally { Directory.Delete(dir, true); }
    }
}
