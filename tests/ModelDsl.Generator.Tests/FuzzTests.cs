using System.Text.RegularExpressions;
using ModelDsl.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// Malformed and half-typed declarations, as an IDE feeds them to the generator on every keystroke.
/// Every case is invalid by construction (each family below says why), so each must produce a
/// diagnostic — the compiler's or ours — and none may make the generator throw (CS8785 would wipe out
/// all generated code in the user's project) or fall back to the internal-error diagnostic MDSL9999.
/// </summary>
public class FuzzTests
{
    // Namespace-block declarations: cutting one anywhere before its last brace leaves it unfinished.
    private static readonly string[] Bases =
    {
        """
        using ModelDsl;
        namespace Fuzz
        {
            [Model(Channels = 3, Height = 64, Width = 64)]
            [Stage("Features")]
            [Conv2d(16, 3, Padding = 1), BatchNorm2d(16), ReLU, MaxPool2d(2)]
            [Conv2d(32, Kernel = 3, Stride = 2, Dilation = 1, Groups = 2), ReLU, AvgPool2d(2, Stride = 2, Padding = 1)]
            [Stage("Head")]
            [Flatten, Dropout(0.5), Linear(64, InFeatures = 2048), ReLU, Linear(7)]
            public partial class Net;
        }
        """,
        """
        using ModelDsl;
        namespace Fuzz
        {
            [Block, Residual(Then = Act.ReLU)]
            [Conv2d(Kernel = 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(Kernel = 3, Padding = 1)]
            public partial class Res;

            [Model(Channels = 1, Height = 28, Width = 28)]
            [Conv2d(8, 5, Padding = Pad.Same), Use<Res>(Repeat = 2), MaxPool2d(2, Stride = 2)]
            [ConvTranspose2d(4, 3, Stride = 2, Padding = 1, OutputPadding = 1), AdaptiveAvgPool2d(4, 4)]
            [Flatten, Linear(10, InFeatures = 64)]
            public partial class Digits;
        }
        """,
        """
        using ModelDsl;
        namespace Fuzz
        {
            [Model(Features = 20)]
            [Linear(16), BatchNorm1d(16), LeakyReLU(0.1), Dropout(0.2), Linear(3, Bias = false)]
            public partial class Mlp;
        }
        """,
    };

    [Fact]
    public void Malformed_declarations_never_crash_the_generator_and_always_get_a_diagnostic()
    {
        var cases = MalformedCases().ToList();
        Assert.True(cases.Count >= 500, $"only {cases.Count} cases");

        var problems = new List<string>();
        foreach (var (family, source) in cases)
        {
            var run = GeneratorHarness.Run(source);
            if (run.GeneratorException is { } e) { problems.Add($"[{family}] generator threw {e.GetType().Name}: {e.Message}\n{source}"); continue; }
            if (run.Diagnostics.FirstOrDefault(d => d.Id == "MDSL9999") is { } internalError) { problems.Add($"[{family}] {internalError}\n{source}"); continue; }
            bool reported = run.Diagnostics.Any(d => d.Severity >= DiagnosticSeverity.Warning)
                || run.Output.GetDiagnostics(TestContext.Current.CancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error);
            if (!reported) problems.Add($"[{family}] no diagnostic for an invalid declaration:\n{source}");
        }
        Assert.True(problems.Count == 0, $"{problems.Count} of {cases.Count} cases failed:\n\n" + string.Join("\n\n", problems.Take(8)));
    }

    /// <summary>
    /// The largest int in every integer slot of the bases. Such a net may be valid (a huge Linear) or not
    /// (a kernel larger than the input), so either outcome is right — but never a crash, never MDSL9999,
    /// and never generated code that does not compile: a problem must be an MDSL error on the declaration.
    /// </summary>
    [Fact]
    public void The_largest_int_in_any_slot_is_diagnosed_or_compiles_clean()
    {
        // One compilation for all cases (each in its own namespace): binding generated code is the costly part.
        var sources = new List<string>();
        foreach (var b in Bases)
            foreach (var m in Regex.Matches(b, @"(?<![\w.])\d+(?![\w.])").Cast<Match>())
                sources.Add((b[..m.Index] + int.MaxValue + b[(m.Index + m.Length)..]).Replace("namespace Fuzz", $"namespace Fuzz{sources.Count}"));
        Assert.True(sources.Count >= 40, $"only {sources.Count} cases");

        var run = GeneratorHarness.Run(sources.ToArray());
        Assert.Null(run.GeneratorException);
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "MDSL9999");
        var generatedErrors = run.Output.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true).ToList();
        Assert.True(generatedErrors.Count == 0, "generated code that does not compile:\n" + string.Join("\n", generatedErrors.Take(8)));
        // Both outcomes occur: some of these nets are diagnosed (e.g. a kernel larger than its input), others are valid and emitted.
        Assert.Contains(run.Mdsl, d => d.Severity == DiagnosticSeverity.Error);
        Assert.NotEmpty(run.Result.Results.SelectMany(r => r.GeneratedSources));
    }

    /// <summary>
    /// Generator v3's own mistakes — an unknown block parameter, a malformed expression, a division that leaves no channels,
    /// a Multiply whose shapes do not broadcast, a Chunk of channels that do not split, a From of an unknown tap — drawn at
    /// random: each must be an MDSL error (not only some diagnostic: C# has nothing to say about a string), never an exception.
    /// </summary>
    [Fact]
    public void Generator_v3_mistakes_are_MDSL_errors_never_exceptions()
    {
        var cases = V3Mistakes(new Random(20261206)).ToList();
        var problems = new List<string>();
        var families = new Dictionary<string, int>();
        foreach (var (family, source) in cases)
        {
            families[family] = families.GetValueOrDefault(family) + 1;
            var run = GeneratorHarness.Run(source);
            if (run.GeneratorException is { } e) { problems.Add($"[{family}] generator threw {e.GetType().Name}: {e.Message}\n{source}"); continue; }
            if (run.Diagnostics.FirstOrDefault(d => d.Id == "MDSL9999") is { } internalError) { problems.Add($"[{family}] {internalError}\n{source}"); continue; }
            if (!run.Mdsl.Any(d => d.Severity == DiagnosticSeverity.Error)) problems.Add($"[{family}] no MDSL error:\n{source}");
        }
        Assert.True(families.Count >= 13 && families.Values.All(n => n >= 10), string.Join(", ", families.Select(f => $"{f.Key} {f.Value}")));
        Assert.True(problems.Count == 0, $"{problems.Count} of {cases.Count} cases failed:\n\n" + string.Join("\n\n", problems.Take(8)));
    }

    private static IEnumerable<(string Family, string Source)> V3Mistakes(Random rng)
    {
        // A block B used once by a model M of c channels (8×8 maps, so no layer below shrinks them to nothing).
        static string Program(string blockHeader, string blockLayers, string use, int channels)
            => $"using ModelDsl;\nnamespace Fuzz\n{{\n    {blockHeader}\n    {blockLayers}\n    public partial class B;\n\n"
             + $"    [Model(Channels = {channels}, Height = 8, Width = 8)]\n    [{use}, GlobalAvgPool, Flatten, Linear(3)]\n    public partial class M;\n}}\n";
        string[] garbage = { "In *", "(In", "In)", "In +* 2", "max(In)", "min(In, )", "In / ", "2 In", "In ** 2", "In..2", "In / (Out - Out)", "In % 0", "#", "In ? 1 : 2", "In 3" };
        for (int i = 0; i < 15; i++)
        {
            int c = rng.Next(2, 9) * 2;
            string slot = Pick(rng, "OutChannels", "Kernel", "Stride", "Padding", "Groups", "Dilation");
            // An expression naming what the block does not have: a misspelt parameter, a model-level name, a layer.
            string unknown = Pick(rng, "Outt", "Expansion", "Channels", "NumClasses", "Conv1", "in", "IN");
            yield return ("unknown name in an expression", Program("[Block(Params = \"Out = 8\")]", $"[Conv2d(OutChannels = \"Out\", Kernel = 1), Conv2d(OutChannels = \"Out\", Kernel = 1, {slot} = \"{unknown} + 0\")]", "Use<B>", c));
            yield return ("unknown parameter at a use", Program("[Block(Params = \"Out, Stride = 1\")]", "[Conv2d(OutChannels = \"Out\", Kernel = 3, Stride = \"Stride\", Padding = 1)]",
                $"Use<B>(\"{c}, {Pick(rng, "Strid", "Padding", "out", "In", "Kernel")} = 2\")", c));
            yield return ("malformed expression", Program("[Block(Params = \"Out = 8\")]", $"[Conv2d(OutChannels = \"{Pick(rng, garbage)}\", Kernel = 1)]", "Use<B>", c));
            yield return ("malformed argument at a use", Program("[Block(Params = \"Out, Stride = 1\")]", "[Conv2d(OutChannels = \"Out\", Kernel = 1, Stride = \"Stride\")]", $"Use<B>(\"{Pick(rng, garbage)}\")", c));
            // torchvision's SE squeezes In / Reduce channels: a ratio above In leaves none.
            int reduce = c + 1 + rng.Next(0, 64);
            yield return ("division to zero channels", Program("[Block(Params = \"Reduce = 4\")]",
                "[Tap(\"x\"), GlobalAvgPool, Conv2d(OutChannels = \"In / Reduce\", Kernel = 1), ReLU, Conv2d(OutChannels = \"In\", Kernel = 1), Sigmoid, Multiply(\"x\")]", $"Use<B>(\"{reduce}\")", c));
            // Multiply broadcasts over size-1 axes only: other channel counts, or a pooled map against the full one.
            int k = Pick(rng, c / 2, c + 1, c * 2, 3);
            yield return ("broadcast mismatch", Program("[Block]", rng.Next(2) == 0
                ? $"[Tap(\"x\"), GlobalAvgPool, Conv2d({k}, 1), Sigmoid, Multiply(\"x\")]"
                : $"[Tap(\"x\"), {Pick(rng, "MaxPool2d(2)", "AvgPool2d(2)", "Conv2d(Kernel = 3)", "Conv2d(Kernel = 3, Stride = 2, Padding = 1)")}, Multiply(\"x\")]", "Use<B>", c));
            // x.chunk(n, 1) needs channels divisible by n: an odd count in two, or a count that three or four does not divide.
            int parts = Pick(rng, 2, 3, 4);
            int odd = parts * rng.Next(1, 8) + 1 + rng.Next(0, parts - 1);
            string taps = string.Join(", ", Enumerable.Range(1, parts).Select(p => $"\"p{p}\""));
            yield return ("split of channels that do not divide", Program("[Block]", $"[Chunk({taps}), From(\"p2\"), Conv2d(Kernel = 1), Concat(\"p1\")]", "Use<B>", odd));
            yield return ("unknown tap", Program("[Block]", $"[Tap(\"x\"), Conv2d(Kernel = 1), {Pick(rng, "From", "Multiply", "Add", "Concat")}(\"{Pick(rng, "y", "X", "input2", "")}\")]", "Use<B>", c));
            yield return ("unknown tap in a model", $"using ModelDsl;\nnamespace Fuzz\n{{\n    [Model(Channels = 3, Height = 8, Width = 8)]\n    [Conv2d(8, 1), Tap(\"a\"), ReLU, {Pick(rng, "From", "Multiply", "Add", "Concat")}(\"{Pick(rng, "b", "A", "input2", "")}\"), GlobalAvgPool, Flatten, Linear(3)]\n    public partial class M;\n}}\n");
            // Padding to a tap's size only grows a map: a reference smaller than the map, sides given beside SizeOf, a reference that is flat.
            yield return ("pad to a smaller map", Program("[Block]", $"[Tap(\"x\"), {Pick(rng, "ZeroPad2d", "ConstantPad2d", "ReflectionPad2d", "ReplicationPad2d")}(1), Tap(\"big\"), MaxPool2d(2), ZeroPad2d(SizeOf = \"{Pick(rng, "x", "input")}\"), {Pick(rng, "ZeroPad2d(SizeOf = \"x\")", "Conv2d(Kernel = 1)")}, ZeroPad2d(SizeOf = \"big\"), ZeroPad2d({rng.Next(1, 3)}), ZeroPad2d(SizeOf = \"x\")]", "Use<B>", c));
            yield return ("pad with sides and SizeOf", Program("[Block]", $"[Tap(\"x\"), MaxPool2d(2), {Pick(rng, "ZeroPad2d", "ReflectionPad2d")}({Pick(rng, "1, SizeOf = \"x\"", "SizeOf = \"x\", Top = 1", "SizeOf = \"x\", Padding = 0")})]", "Use<B>", c));
            // A stride that does not divide both operands' sizes leaves Add with two different maps.
            yield return ("merge of different sizes", Program("[Block]", $"[Tap(\"x\"), Conv2d(Kernel = 3, Stride = {rng.Next(2, 5)}, Padding = 1), Add(\"x\")]", "Use<B>", c));
            // Checks that need the input (groups dividing the channels, a PReLU per channel) in a block without parameters: at the use.
            yield return ("input-dependent check in a plain block", Program("[Block]", $"[Conv2d(Kernel = 1), {Pick(rng, "GroupNorm(7)", "PReLU(7)", "ChannelShuffle(7)", "ReflectionPad2d(9)")}]", "Use<B>", Pick(rng, 2, 4, 6, 8, 12, 16)));
            yield return ("condition that is not a comparison", Program("[Block(Params = \"Stride = 1\")]",
                $"[Tap(\"x\"), Conv2d(Kernel = 3, Padding = 1, Stride = \"Stride\"), Add(\"x\", When = \"{Pick(rng, "Stride ==", "Strde == 1", "(Stride == 1", "Stride = 1 &&")}\")]", "Use<B>", c));
        }
    }

    private static IEnumerable<(string Family, string Source)> MalformedCases()
    {
        var rng = new Random(20261123);
        foreach (var b in Bases)
        {
            int end = b.LastIndexOf('}');
            // Unfinished syntax: the declaration cut off mid-way, as while typing.
            for (int i = 0; i < 70; i++) yield return ("truncated", b[..rng.Next(b.IndexOf("namespace", StringComparison.Ordinal) + 10, end)]);

            // Negative sizes: every integer argument is a size, count or index that must be positive or
            // non-negative (Dim excepted, where -1 is legal, so it is never mutated).
            var ints = Regex.Matches(b, @"(?<![\w.])\d+(?![\w.])").Where(m => !b[..m.Index].TrimEnd().EndsWith("Dim =", StringComparison.Ordinal)).ToList();
            foreach (var m in ints) yield return ("negative", b[..m.Index] + "-" + m.Value + b[(m.Index + m.Length)..]);

            // Wrong types in place of an integer (none of them converts implicitly to int; a char would).
            // ("\"three\"": in a slot that takes an expression — Conv2d's sizes — a string is legal, but no name is known in a model.)
            string[] wrong = { "\"three\"", "2.5", "true", "null", "3u", "Act.ReLU", "3L" };
            foreach (var m in ints)
                yield return ("wrong type", b[..m.Index] + wrong[rng.Next(wrong.Length)] + b[(m.Index + m.Length)..]);

            // The attribute on something that is not a class.
            foreach (var kind in new[] { "partial struct", "partial interface", "static partial class", "partial record struct", "enum" })
                yield return ("not a class", b.Replace("public partial class", "public " + kind));
            yield return ("not partial", b.Replace("public partial class", "public class"));

            // Required arguments missing: every attribute with arguments, stripped of them.
            foreach (Match m in Regex.Matches(b, @"(Conv2d|ConvTranspose2d|Linear|Stage|MaxPool2d|AvgPool2d|AdaptiveAvgPool2d|Model)\([^()]*\)"))
                yield return ("missing arguments", b[..m.Index] + m.Groups[1].Value + "()" + b[(m.Index + m.Length)..]);

            // Unknown names: a misspelled layer, an argument PyTorch does not have.
            foreach (Match m in Regex.Matches(b, @"\b(Conv2d|Linear|ReLU|MaxPool2d|BatchNorm2d)\b"))
                yield return ("unknown layer", b[..m.Index] + m.Value + "x" + b[(m.Index + m.Length)..]);
            foreach (Match m in Regex.Matches(b, @"\b(Conv2d|Linear|MaxPool2d)\((\d+)"))
                yield return ("unknown argument", b[..(m.Index + m.Length)] + ", Kernal = 3" + b[(m.Index + m.Length)..]);

            // Deleting one delimiter always breaks the syntax.
            var delimiters = Regex.Matches(b, @"[\[\](){};,=]").ToList();
            for (int i = 0; i < 40; i++)
            {
                var m = delimiters[rng.Next(delimiters.Count)];
                yield return ("delimiter deleted", b[..m.Index] + b[(m.Index + 1)..]);
            }
        }

        // Shape and structure errors PyTorch (or C#) would reject.
        foreach (var (family, source) in ShapeAndStructureErrors(rng)) yield return (family, source);
    }

    private static IEnumerable<(string, string)> ShapeAndStructureErrors(Random rng)
    {
        string Model(string layers, string header = "[Model(Channels = 3, Height = 32, Width = 32)]", string decl = "public partial class M;")
            => $"using ModelDsl;\nnamespace Fuzz\n{{\n    {header}\n    {layers}\n    {decl}\n}}\n";

        for (int i = 0; i < 20; i++)
        {
            int k = rng.Next(40, 200);
            yield return ("kernel larger than input", Model($"[Conv2d(8, {k})]"));
            int wrongIn = rng.Next(1, 5000);
            yield return ("in features mismatch", Model($"[Conv2d(4, 3), Flatten, Linear(10, InFeatures = {wrongIn * 2 + 1})]"));
            int groups = rng.Next(2, 9) * 2 + 1;
            yield return ("groups", Model($"[Conv2d(16, 3, Groups = {groups})]", "[Model(Channels = 4, Height = 32, Width = 32)]"));
            yield return ("same with stride", Model($"[Conv2d(8, 3, Padding = Pad.Same, Stride = {rng.Next(2, 5)})]"));
            int kp = rng.Next(2, 6);
            yield return ("pool padding", Model($"[MaxPool2d({kp}, Padding = {kp / 2 + 1 + rng.Next(3)})]"));
            yield return ("linear on map", Model($"[Conv2d(8, 3), Linear({rng.Next(1, 100)})]"));
            yield return ("conv on flat", Model($"[Flatten, Conv2d(8, 3)]"));
            yield return ("batchnorm count", Model($"[Conv2d(8, 3), BatchNorm2d({rng.Next(9, 64)})]"));
            yield return ("groupnorm groups", Model($"[Conv2d(12, 3), GroupNorm({Pick(rng, 5, 7, 8, 9, 24, 36)})]"));
            yield return ("groupnorm without groups", Model("[Conv2d(12, 3), GroupNorm]"));
            yield return ("groupnorm channels", Model($"[Conv2d(12, 3), GroupNorm(4, NumChannels = {rng.Next(13, 64)})]"));
            yield return ("instancenorm count", Model($"[Conv2d(8, 3), InstanceNorm2d({rng.Next(9, 64)})]"));
            yield return ("layernorm2d on flat", Model("[Flatten, LayerNorm2d]"));
            yield return ("norm eps", Model($"[Conv2d(8, 3), {Pick(rng, "GroupNorm(2", "InstanceNorm2d(8", "LayerNorm2d(8")}, Eps = {-rng.Next(0, 5)})]"));
            double lo = rng.Next(-5, 5);
            yield return ("hardtanh bounds", Model($"[Conv2d(8, 3), Hardtanh({lo}, {lo - rng.Next(0, 3)})]"));
            yield return ("softplus beta", Model($"[Conv2d(8, 3), Softplus(Beta = {-rng.Next(0, 4)})]"));
            yield return ("negative padding", Model($"[Conv2d(8, 3), {Pick(rng, "ZeroPad2d", "ReflectionPad2d", "ReplicationPad2d")}({Pick(rng, "", "Left = ", "Bottom = ")}{-rng.Next(1, 5)})]"));
            yield return ("reflection past the edge", Model($"[ReflectionPad2d({rng.Next(32, 40)})]"));
            yield return ("padding on flat", Model("[Flatten, ZeroPad2d(1)]"));
            yield return ("prelu count", Model($"[Conv2d(8, 3), PReLU({Pick(rng, 0, 2, 7, 9, 16)})]"));
            yield return ("stochastic depth p", Model($"[Conv2d(8, 3), StochasticDepth({Pick(rng, "-0.1", "1", "1.5")})]"));
            yield return ("bad input shape", Model("[ReLU]", $"[Model(Channels = {rng.Next(-5, 1)}, Height = 32, Width = 32)]"));
            yield return ("stride overshoot", Model($"[Conv2d(8, 3, Stride = {rng.Next(40, 90)}), MaxPool2d(2)]"));
        }

        // Sizes and counts past 2^63 − 1: an ordinary error on the layer, never a wrapped count or MDSL9999.
        for (int i = 0; i < 20; i++)
        {
            yield return ("huge scale", Model($"[Conv2d(4, 3), Upsample({rng.Next(1, 10)}e{rng.Next(19, 300)}), ReLU]"));
            yield return ("huge linear", Model($"[Conv2d({rng.Next(30000, 65536)}, {rng.Next(1, 8)}), Flatten, Linear({rng.Next(100000, int.MaxValue)})]", "[Model(Channels = 3, Height = 100000, Width = 100000)]"));
            yield return ("huge map", Model($"[Conv2d({rng.Next(3, 1000)}, 1)]", $"[Model(Channels = 1, Height = {rng.Next(2_000_000_000, int.MaxValue)}, Width = {rng.Next(2_000_000_000, int.MaxValue)})]"));
            yield return ("huge input", Model("[ReLU]", $"[Model(Channels = {rng.Next(8, int.MaxValue)}, Height = {rng.Next(1 << 30, int.MaxValue)}, Width = {rng.Next(1 << 30, int.MaxValue)})]"));
            yield return ("huge transposed", Model($"[ConvTranspose2d(8, {rng.Next(1 << 30, int.MaxValue)}, Stride = {rng.Next(1 << 30, int.MaxValue)}), ConvTranspose2d(8, 3, Stride = {rng.Next(1 << 30, int.MaxValue)})]"));
            yield return ("huge total", Model($"[Linear({rng.Next(1 << 30, int.MaxValue)}), Linear(2147483647), Linear(2147483647), Linear(2147483647), Linear(2147483647)]", "[Model(Features = 2147483647)]"));
        }
        yield return ("repeat past the limit", "using ModelDsl;\nnamespace Fuzz\n{\n    [Block]\n    [ReLU]\n    public partial class B;\n    [Model(Channels = 3, Height = 32, Width = 32)]\n    [Use<B>(Repeat = " + rng.Next(10_001, int.MaxValue) + ")]\n    public partial class M;\n}\n");
        yield return ("infinite scale", Model("[Upsample(double.PositiveInfinity)]"));
        yield return ("NaN scale", Model("[Upsample(double.NaN)]"));

        string[] reserved = { "forward", "parameters", "Layers", "Summary", "M", "register_module", "training" };
        foreach (var name in reserved) yield return ("reserved name", Model($"[Conv2d(8, 3, Name = \"{name}\")]"));
        yield return ("duplicate name", Model("[Conv2d(8, 3, Name = \"A\"), Conv2d(8, 3, Name = \"A\")]"));
        yield return ("not an identifier", Model("[Conv2d(8, 3, Name = \"1st conv\")]"));
        yield return ("duplicate stage", Model("[Stage(\"S\")]\n    [ReLU]\n    [Stage(\"S\")]\n    [ReLU]"));
        yield return ("empty stage name", Model("[Stage(\"\")]\n    [ReLU]"));
        yield return ("generic", Model("[ReLU]", decl: "public partial class M<T>;"));
        yield return ("nested in generic", "using ModelDsl;\npublic partial class Outer<T>\n{\n    [Model(Features = 4)]\n    [Linear(2)]\n    public partial class M;\n}\n");
        yield return ("split", Model("[ReLU]") + "namespace Fuzz { [Tanh] public partial class M; }\n");
        yield return ("no layers", Model(""));
        yield return ("use of non-block", Model("[Use<string>]"));
        yield return ("residual mismatch", "using ModelDsl;\nnamespace Fuzz\n{\n    [Block, Residual]\n    [Conv2d(8, 3, Stride = 2, Padding = 1)]\n    public partial class B;\n    [Model(Channels = 3, Height = 32, Width = 32)]\n    [Use<B>]\n    public partial class M;\n}\n");
        yield return ("model and block", Model("[ReLU]", "[Model(Channels = 3, Height = 32, Width = 32), Block]"));
        yield return ("repeat zero", "using ModelDsl;\nnamespace Fuzz\n{\n    [Block]\n    [ReLU]\n    public partial class B;\n    [Model(Channels = 3, Height = 32, Width = 32)]\n    [Use<B>(Repeat = 0)]\n    public partial class M;\n}\n");
        yield return ("dropout probability", Model("[Dropout2d(1.5)]"));
        yield return ("softmax trailer", Model("[Flatten, Linear(10), Softmax]"));
        yield return ("single unit softmax", Model("[Flatten, Linear(1), Softmax]"));
    }

    private static T Pick<T>(Random rng, params T[] items) => items[rng.Next(items.Length)];
}
