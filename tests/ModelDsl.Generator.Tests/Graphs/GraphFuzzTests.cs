using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Graphs;

/// <summary>
/// Graph mistakes, mutated into valid graph models: an unknown tap, a tap used before it is defined, a tap
/// defined twice, a Concat of different sizes, an Add of different shapes, a Flatten in a net of any size, merges
/// no size satisfies, and in a model with heads: a head without From, a head from an unknown tap, two heads with
/// one name, trunk layers no head uses, a Reshape with the wrong element count, a Permute that is no permutation.
/// Only an MDSL error on the declaration counts as diagnosed; an error inside generated code, a generator
/// exception or MDSL9999 is a failure. The unmutated models compile clean (the control).
/// </summary>
public class GraphFuzzTests
{
    private const string FixedUNet = """
        using ModelDsl;
        [Model(Channels = 1, Height = 32, Width = 32)]
        [Conv2d(8, 3, Padding = 1), ReLU, Tap("skip1"), MaxPool2d(2)]
        [Conv2d(16, 3, Padding = 1), ReLU, Tap("skip2"), MaxPool2d(2)]
        [Conv2d(32, 3, Padding = 1), ReLU]
        [ConvTranspose2d(16, 2, Stride = 2), Concat("skip2"), Conv2d(16, 3, Padding = 1), ReLU]
        [ConvTranspose2d(8, 2, Stride = 2), Concat("skip1"), Conv2d(8, 3, Padding = 1), ReLU, Conv2d(3, 1)]
        public partial class Net;
        """;

    private static readonly string AnySizeUNet = FixedUNet.Replace("Channels = 1, Height = 32, Width = 32", "Channels = 1");

    private const string Residual = """
        using ModelDsl;
        [Model(Channels = 3, Height = 32, Width = 32)]
        [Conv2d(16, 3, Padding = 1), ReLU, Tap("skip1")]
        [Conv2d(16, 3, Padding = 1), BatchNorm2d, ReLU, Tap("skip2"), Conv2d(16, 3, Padding = 1), BatchNorm2d, Add("skip2"), ReLU]
        [Conv2d(32, 3, Stride = 2, Padding = 1), BatchNorm2d, Add("skip1", Projection = true), ReLU]
        [GlobalAvgPool, Flatten, Linear(10)]
        public partial class Net;
        """;

    private const string Heads = """
        using ModelDsl;
        [Model(Channels = 1, Height = 32, Width = 32)]
        [Conv2d(8, 3, Padding = 1), ReLU, MaxPool2d(2), Tap("skip1"), Conv2d(16, 3, Padding = 1), ReLU, MaxPool2d(2), Tap("features")]
        [Head("Classes", From = "features"), Conv2d(11, 1), Permute(1, 2, 0)]
        [Head("Boxes", From = "features"), Conv2d(5, 1), Sigmoid, Reshape(5, 64)]
        [Head("Mask", From = "skip1"), Conv2d(8, 3, Padding = 1), Concat("skip1"), ConvTranspose2d(2, 2, Stride = 2)]
        public partial class Net;
        """;

    public static TheoryData<string> Bases => new() { FixedUNet, AnySizeUNet, Residual, Heads };

    [Theory]
    [MemberData(nameof(Bases))]
    public void Control_the_unmutated_graph_models_compile_clean(string source)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Null(run.GeneratorException);
        Assert.DoesNotContain(run.Mdsl, d => d.Severity >= DiagnosticSeverity.Warning);
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Fact]
    public void Every_graph_mistake_is_an_MDSL_error_on_the_declaration()
    {
        var random = new Random(1201);
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < Cases; i++)
        {
            var (family, source) = Mutate(random);
            var run = GeneratorHarness.Run(source);
            Assert.True(run.GeneratorException is null, $"{family}: the generator threw {run.GeneratorException}\n{source}");
            Assert.DoesNotContain(run.Mdsl, d => d.Id == "MDSL9999");
            var declared = run.Mdsl.Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.GetLineSpan().Path == "Model0.cs").ToList();
            Assert.True(declared.Count > 0, $"{family}: not diagnosed\n{source}");
            var generated = run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs") == true).ToList();
            Assert.True(generated.Count == 0, $"{family}: error inside generated code: {string.Join("; ", generated)}\n{source}");
            counts[family] = counts.TryGetValue(family, out int c) ? c + 1 : 1;
        }
        // Every family was drawn, so none is silently left out.
        Assert.Equal(Families, counts.Count);
    }

    private const int Cases = 1000, Families = 13;

    private static (string Family, string Source) Mutate(Random random)
    {
        string[] names = { "skip3", "Skip1", "skip", "x", "skip1 " };
        switch (random.Next(Families))
        {
            case 0: // a merge names a tap that does not exist
            {
                var b = random.Next(2) == 0 ? FixedUNet : Residual;
                string merge = random.Next(2) == 0 ? "\"skip1\")" : "\"skip2\")";
                int at = b.IndexOf(merge, b.IndexOf("Concat(\"") >= 0 ? b.IndexOf("Concat(\"") : b.IndexOf("Add(\""), StringComparison.Ordinal);
                at = at < 0 ? b.LastIndexOf(merge, StringComparison.Ordinal) : at;
                return ("unknown tap", b[..at] + "\"" + names[random.Next(names.Length)] + "\")" + b[(at + merge.Length)..]);
            }
            case 1: // the tap moves after its merge
            {
                var b = random.Next(2) == 0 ? FixedUNet : AnySizeUNet;
                return ("tap after merge", b.Replace("Tap(\"skip1\"), ", "").Replace("Conv2d(3, 1)]", "Conv2d(3, 1), Tap(\"skip1\")]"));
            }
            case 2: // two taps with one name
                return ("duplicate tap", (random.Next(2) == 0 ? FixedUNet : Residual).Replace("Tap(\"skip2\")", "Tap(\"skip1\")"));
            case 3: // one pool fewer: the concatenated sizes differ
                return ("concat size mismatch", FixedUNet.Replace(random.Next(2) == 0 ? "Tap(\"skip1\"), MaxPool2d(2)" : "Tap(\"skip2\"), MaxPool2d(2)",
                    random.Next(2) == 0 ? "Tap(\"skip1\")" : "Tap(\"skip1\"), MaxPool2d(3)").Replace("Tap(\"skip1\")Tap", "Tap"));
            case 4: // a channel count changes before an Add without projection
                return ("add shape mismatch", Residual.Replace("BatchNorm2d, Add(\"skip2\")", $"BatchNorm2d, Conv2d({random.Next(1, 15)}, 1), Add(\"skip2\")"));
            case 5: // any size, but a Flatten before the pool that would fix the size
                return ("flatten of any size", AnySizeUNet.Replace("Conv2d(3, 1)]", random.Next(2) == 0 ? "Conv2d(3, 1), Flatten, Linear(10)]" : "Flatten, Linear(4)]"));
            case 7: // a head without From
            {
                string head = random.Next(2) == 0 ? "Head(\"Classes\", From = \"features\")" : "Head(\"Boxes\", From = \"features\")";
                return ("head without From", Heads.Replace(head, head.Replace(", From = \"features\"", "")));
            }
            case 8: // a head from a tap the trunk does not have
                return ("head from unknown tap", Heads.Replace("From = \"features\"), Conv2d(5, 1)", $"From = \"{new[] { "feature", "Features", "skip2", "" , "Classes" }[random.Next(5)]}\"), Conv2d(5, 1)"));
            case 9: // two heads with one name
                return ("duplicate head", Heads.Replace("Head(\"Boxes\"", random.Next(2) == 0 ? "Head(\"Classes\"" : "Head(\"Mask\""));
            case 10: // trunk layers after the last tap a head uses
                return ("layers reach no head", Heads.Replace("Tap(\"features\")]", random.Next(2) == 0 ? "Tap(\"features\"), ReLU]" : $"Tap(\"features\"), Conv2d({random.Next(1, 9)}, 1)]"));
            case 11: // Boxes is 5×8×8 = 320 elements; a reshape to any other count
            {
                int d = random.Next(1, 200);
                string shape = random.Next(3) switch { 0 => $"5, {(d == 64 ? 65 : d)}", 1 => $"-1, {(320 % d == 0 ? 7 : d)}", _ => $"{(d == 5 ? 4 : d)}, 8, 8" };
                return ("reshape element count", Heads.Replace("Reshape(5, 64)", $"Reshape({shape})"));
            }
            case 12: // Classes is 11×8×8: dimensions that are no permutation of 0, 1, 2
                return ("bad permutation", Heads.Replace("Permute(1, 2, 0)", "Permute(" + new[] { "0, 2, 3, 1", "1, 1, 0", "2, 1", "0, 1, 3", "3, 2, 1, 0", "-1, 0, 1" }[random.Next(6)] + ")"));
            default: // any size, merges that no size satisfies: 2b + 2 or 2b − 2 against a ∈ {2b, 2b + 1}
                return ("no accepted size", AnySizeUNet.Replace("ConvTranspose2d(16, 2, Stride = 2)", random.Next(2) == 0 ? "ConvTranspose2d(16, 4, Stride = 2)" : "Upsample(ScaleFactor = 2), Conv2d(16, 3)"));
        }
    }
}
