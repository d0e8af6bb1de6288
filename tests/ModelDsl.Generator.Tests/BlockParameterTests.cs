using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// [Block(Params = "…")] and [Use&lt;B&gt;("…")]: one block class for every width and stride, its expressions evaluated and
/// checked at each use; every mistake an MDSL diagnostic naming the use and the values, never an exception.
/// </summary>
public class BlockParameterTests
{
    private const string Blocks = """
        using ModelDsl;
        [Block(Params = "Out, Kernel = 3, Stride = 1, Groups = 1")]
        [Conv2d(OutChannels = "Out", Kernel = "Kernel", Stride = "Stride", Padding = "(Kernel - 1) / 2", Groups = "Groups", Bias = false)]
        [BatchNorm2d, ReLU6]
        public partial class ConvBn;

        """;

    private static GeneratorRun Run(string model) => GeneratorHarness.Run(Blocks + model);

    [Fact]
    public void One_class_serves_every_width_and_stride_and_the_summary_shows_each_uses_values()
    {
        var run = Run("""
            [Model(Channels = 3, Height = 16, Width = 16)]
            [Use<ConvBn>("16, 3, 2"), Use<ConvBn>("Out = 16, Groups = 16"), Use<ConvBn>("32, Kernel = 1")]
            public partial class Net;
            """);
        Assert.Empty(run.Mdsl);
        var type = run.Load().GetType("Net", throwOnError: true)!;
        using var net = (torch.nn.Module<torch.Tensor, torch.Tensor>)Activator.CreateInstance(type)!;
        using var y = net.call(torch.rand(2, 3, 16, 16));
        Assert.Equal(new long[] { 2, 32, 8, 8 }, y.shape);
        Assert.Equal((long)type.GetField("ParameterCount")!.GetValue(null)!, net.parameters().Sum(p => p.numel()));
        // Depthwise: 16 groups of one channel, a 3×3 kernel each.
        Assert.Equal(new long[] { 16, 1, 3, 3 }, net.state_dict()["ConvBn2.Conv1.weight"].shape);
        string summary = (string)(type.GetProperty("Summary")?.GetValue(null) ?? type.GetField("Summary")!.GetValue(null))!;
        Assert.Contains("ConvBn(Out = 16, Kernel = 3, Stride = 2, Groups = 1)", summary);
        Assert.Contains("ConvBn(Out = 32, Kernel = 1, Stride = 1, Groups = 1)", summary);
    }

    [Fact]
    public void A_probability_may_be_a_real_expression_over_the_parameters_as_torchvision_scales_stochastic_depth()
    {
        // torchvision's ConvNeXt and EfficientNet: sd_prob = stochastic_depth_prob * block_id / (total_blocks - 1).
        var run = GeneratorHarness.Run("""
            using ModelDsl;
            [Block(Params = "Id")]
            [Tap("x"), Conv2d(Kernel = 3, Padding = 1), Dropout2d(P = "0.05 + Id / 100"), StochasticDepth(P = "0.1 * Id / 17"), Add("x")]
            public partial class Scaled;

            [Model(Channels = 3, Height = 8, Width = 8)]
            [Use<Scaled>("0"), Use<Scaled>("5"), Use<Scaled>("17"), Dropout(P = 0.25)]
            public partial class Net;
            """);
        Assert.Empty(run.Mdsl);
        var type = run.Load().GetType("Net", throwOnError: true)!;
        using var net = (torch.nn.Module<torch.Tensor, torch.Tensor>)Activator.CreateInstance(type)!;
        var depths = net.modules().OfType<ModelDsl.StochasticDepth>().Select(m => m.P).ToList();
        Assert.Equal(new[] { 0.0, 0.1 * 5 / 17, 0.1 }, depths, new Tolerance(1e-12));
        var dropouts = net.modules().OfType<TorchSharp.Modules.Dropout2d>().Count();
        Assert.Equal(3, dropouts);
        string summary = (string)(type.GetProperty("Summary")?.GetValue(null) ?? type.GetField("Summary")!.GetValue(null))!;
        Assert.Contains("Scaled(Id = 5)", summary);
    }

    [Theory]
    [InlineData("StochasticDepth(P = \"0.1 * Id / 0\")", "it divides by zero")]
    [InlineData("StochasticDepth(P = \"Id / 2\")", "a drop probability must be in [0, 1)")]   // 1.5 at Id = 3
    [InlineData("StochasticDepth(P = \"0.1 * Idx\")", "'Idx' is not known here")]
    [InlineData("Dropout2d(P = true)", "it takes a number or an expression string")]
    [InlineData("Conv2d(OutChannels = \"2.5\", Kernel = 1)", "'.5' cannot follow a complete expression")]  // a channel count stays an integer
    public void A_bad_real_expression_is_an_MDSL_error_at_the_use_naming_why(string layer, string why)
    {
        var run = GeneratorHarness.Run($$"""
            using ModelDsl;
            [Block(Params = "Id")]
            [Conv2d(Kernel = 1), {{layer}}]
            public partial class Scaled;

            [Model(Channels = 3, Height = 8, Width = 8)]
            [Use<Scaled>("3")]
            public partial class Net;
            """);
        Assert.Null(run.GeneratorException);
        Assert.Contains(run.Mdsl, d => d.Severity == DiagnosticSeverity.Error && d.GetMessage().Contains(why));
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= epsilon;
        public int GetHashCode(double value) => 0;
    }

    [Theory]
    [InlineData("Use<ConvBn>", "'ConvBn1' cannot use ConvBn(\"\"): ConvBn needs Out (its parameters: Out, Kernel = 3, Stride = 1, Groups = 1)")]
    [InlineData("Use<ConvBn>(\"8, Strid = 2\")", "'ConvBn1' cannot use ConvBn(\"8, Strid = 2\"): ConvBn has no parameter 'Strid' (its parameters: Out, Kernel = 3, Stride = 1, Groups = 1)")]
    [InlineData("Use<ConvBn>(\"8, 3, 1, 1, 5\")", "'ConvBn1' cannot use ConvBn(\"8, 3, 1, 1, 5\"): ConvBn takes 4 parameter(s) (Out, Kernel = 3, Stride = 1, Groups = 1), not 5")]
    [InlineData("Use<ConvBn>(\"8 / 0\")", "'ConvBn1' cannot use ConvBn(\"8 / 0\"): Out = 8 / 0: it divides by zero")]
    public void A_use_whose_values_do_not_fit_the_parameters_is_MDSL0020_on_the_use(string use, string message)
    {
        var run = Run($$"""
            [Model(Channels = 3, Height = 16, Width = 16)]
            [{{use}}]
            public partial class Net;
            """);
        Assert.Null(run.GeneratorException);
        var d = Assert.Single(run.Mdsl, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("MDSL0020", d.Id);
        Assert.Equal(message, d.GetMessage());
    }

    [Fact]
    public void Values_a_layer_refuses_are_reported_at_the_use_with_the_uses_names()
    {
        // Groups = 5 does not divide 3 input channels; Out = 0 makes no channels at all.
        var run = Run("""
            [Model(Channels = 3, Height = 16, Width = 16)]
            [Use<ConvBn>("8, Groups = 5")]
            public partial class Net;
            """);
        var d = Assert.Single(run.Mdsl, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("MDSL0005", d.Id);
        Assert.Equal("Use<ConvBn>(\"8, Groups = 5\")", ExpectedSpan(run, d));
    }

    [Fact]
    public void Names_a_block_does_not_have_are_MDSL0007_on_its_declaration()
    {
        var run = GeneratorHarness.Run("""
            using ModelDsl;
            [Block(Params = "Out, Expand = 6")]
            [Conv2d(OutChannels = "In * Expnd", Kernel = 1), Conv2d(OutChannels = "Out", Kernel = 3, Padding = 1)]
            public partial class B;
            """);
        var d = Assert.Single(run.Mdsl, d => d.Id == "MDSL0007");
        Assert.Contains("OutChannels", d.GetMessage());
        Assert.Contains("'Expnd' is not a name here (a block's expressions use In and its parameters: In, Out, Expand)", d.GetMessage());
    }

    [Theory]
    [InlineData("Out, Out", "'Out' is declared twice")]
    [InlineData("In, Out", "In is the block's input channels, a name every block has")]
    [InlineData("Out = Stride, Stride = 1", "the default of Out uses 'Stride', which is not In or an earlier parameter")]
    public void Unusable_parameters_are_MDSL0020_on_the_block(string parameters, string problem)
    {
        var run = GeneratorHarness.Run($$"""
            using ModelDsl;
            [Block(Params = "{{parameters}}")]
            [Conv2d(OutChannels = "Out", Kernel = 1)]
            public partial class B;
            """);
        Assert.Contains(run.Mdsl, d => d.Id == "MDSL0020" && d.GetMessage().EndsWith(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void An_expression_with_a_name_in_a_model_layer_is_MDSL0007()
    {
        var run = GeneratorHarness.Run("""
            using ModelDsl;
            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(OutChannels = "2 * 8", Kernel = 3), Conv2d(OutChannels = "Out", Kernel = 1)]
            public partial class Net;
            """);
        var d = Assert.Single(run.Mdsl, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("MDSL0007", d.Id);
        Assert.Contains("'Out' is not known here", d.GetMessage());
    }

    [Fact]
    public void Random_expressions_in_every_slot_are_diagnosed_or_compile_never_an_exception()
    {
        var rng = new Random(20261206);
        string[] atoms = { "In", "Out", "Stride", "2", "0", "-1", "Expand", "Nope", "(", ")", "*", "/", "%", "+", "-", "==", "&&", "min(In, 3)", "max(", "", " ", "1e3", "3.5", "In / (Stride - 1)" };
        var problems = new List<string>();
        for (int i = 0; i < 120; i++)
        {
            string Expr() => string.Concat(Enumerable.Range(0, rng.Next(1, 5)).Select(_ => atoms[rng.Next(atoms.Length)]));
            string source = $$"""
                using ModelDsl;
                [Block(Params = "Out, Stride = 1, Expand = 2")]
                [Conv2d(OutChannels = "{{Expr()}}", Kernel = "{{Expr()}}", Stride = "{{Expr()}}", Padding = "{{Expr()}}", Groups = "{{Expr()}}")]
                public partial class B;
                [Model(Channels = 4, Height = 12, Width = 12)]
                [Use<B>("{{Expr()}}, {{Expr()}}")]
                public partial class M;
                """;
            var run = GeneratorHarness.Run(source);
            if (run.GeneratorException is { } e) problems.Add($"threw {e.GetType().Name}: {e.Message}\n{source}");
            else if (run.Diagnostics.FirstOrDefault(d => d.Id == "MDSL9999") is { } internalError) problems.Add($"{internalError}\n{source}");
            else if (!run.Mdsl.Any(d => d.Severity == DiagnosticSeverity.Error)
                     && run.Output.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
                problems.Add("no MDSL error, but the generated code does not compile:\n" + source);
        }
        Assert.True(problems.Count == 0, string.Join("\n\n", problems.Take(5)));
    }

    [Fact]
    public void Conditions_and_computed_keys_follow_each_uses_values()
    {
        var run = GeneratorHarness.Run("""
            using ModelDsl;
            [Block(Params = "Out, Expand")]
            [Tap("x"), Conv2d(OutChannels = "In * Expand", Kernel = 1, Key = "0", When = "Expand != 1")]
            [Conv2d(OutChannels = "Out", Kernel = 3, Padding = 1, Key = "(Expand != 1)"), Add("x", When = "In == Out")]
            public partial class B;

            [Model(Channels = 4, Height = 8, Width = 8)]
            [Use<B>("4, 2", Name = "Both"), Use<B>("6, 1", Name = "Neither")]
            public partial class Net;
            """);
        Assert.Empty(run.Mdsl);
        using var net = (torch.nn.Module<torch.Tensor, torch.Tensor>)Activator.CreateInstance(run.Load().GetType("Net", throwOnError: true)!)!;
        // Both: the expansion (key 0), then the 3×3 at key 1, and the skip (4 == 4). Neither: the 3×3 alone, at key 0.
        Assert.Equal(new[] { "Both.0.bias", "Both.0.weight", "Both.1.bias", "Both.1.weight", "Neither.0.bias", "Neither.0.weight" },
            net.state_dict().Keys.Order(StringComparer.Ordinal));
        using var x = torch.rand(1, 4, 8, 8);
        using var y = net.call(x);
        Assert.Equal(new long[] { 1, 6, 8, 8 }, y.shape);
    }

    [Theory]
    [InlineData("[Block]\n[Conv2d(8, 1, Key = \"(1 + 1)\")]\npublic partial class C;", "MDSL0012", "a key is a name or a number here; a key that is an expression belongs to a [Block] with parameters")]
    [InlineData("[Model(Channels = 3, Height = 8, Width = 8)]\n[Conv2d(8, 1, When = \"1 == 1\")]\npublic partial class M;", "MDSL0007", "a condition selects a [Block]'s pieces per use; a model's layers are always there")]
    public void Keys_and_conditions_outside_a_parameterised_block_are_refused(string declaration, string id, string reason)
    {
        var run = GeneratorHarness.Run("using ModelDsl;\n" + declaration);
        Assert.Contains(run.Mdsl, d => d.Id == id && d.GetMessage().EndsWith(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Computed_keys_that_coincide_at_a_use_are_MDSL0020_on_the_use()
    {
        var run = GeneratorHarness.Run("""
            using ModelDsl;
            [Block(Params = "A")]
            [Conv2d(8, 1, Key = "(A + 0)"), Conv2d(8, 1, Key = "(A * 1)")]
            public partial class B;
            [Model(Channels = 3, Height = 8, Width = 8)]
            [Use<B>("2")]
            public partial class Net;
            """);
        var d = Assert.Single(run.Mdsl, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("MDSL0020", d.Id);
        Assert.Equal("'B1' registers two parts as '2' at In = 3, A = 2 (B1.Conv1, B1.Conv2)", d.GetMessage());
    }

    private static string ExpectedSpan(GeneratorRun run, Diagnostic d)
    {
        var tree = run.Output.SyntaxTrees.Single(t => t.FilePath == d.Location.GetLineSpan().Path);
        return tree.GetText().ToString(d.Location.SourceSpan);
    }
}
