using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using static ModelDsl.Generator.Tests.Infrastructure.ExpectedDiagnostics;
using Xunit;

namespace ModelDsl.Generator.Tests.Graphs;

/// <summary>The head descriptors (MDSL0038–0040, and MDSL0030 for a head's tap): ID, severity, span and full message.</summary>
public class HeadDiagnosticTests
{
    private const string Trunk = """[Conv2d(4, 3, Padding = 1), ReLU, Tap("features")]""";

    private static Diagnostic Single(string layers, string id)
        => ExpectedDiagnostics.OnlyWarningOrError("using ModelDsl;\n[Model(Channels = 1, Height = 8, Width = 8)]\n" + layers + "\npublic partial class Net { public int Extra => 0; }\n", id);

    [Fact]
    public void MDSL0038_a_head_without_From()
    {
        var d = Single(Trunk + "\n[Head(\"Classes\"), Conv2d(3, 1)]", "MDSL0038");
        Assert.Equal("Head(\"Classes\")", SpanText(d));
        Assert.Equal("Head 'Classes' does not say which tap it starts from; add From, e.g. [Head(\"Classes\", From = \"features\")]", d.GetMessage());
    }

    [Theory]
    [InlineData("[Head(\"class\", From = \"features\"), Conv2d(3, 1)]", "class", "is not a valid C# identifier; a head's name names a property of the output record and a stage of the model")]
    [InlineData("[Head(\"A\", From = \"features\"), Conv2d(3, 1)]\n[Head(\"A\", From = \"features\"), Conv2d(2, 1)]", "A", "is declared twice; give each head its own name")]
    [InlineData("[Head(\"Extra\", From = \"features\"), Conv2d(3, 1)]", "Extra", "needs the member 'Extra', which the class already has (its own or TorchSharp Module's)")]
    [InlineData("[Head(\"Heads\", From = \"features\"), Conv2d(3, 1)]", "Heads", "cannot be a property of the output record NetOutput, which has a member 'Heads' of its own")]
    [InlineData("[Head(\"A\", From = \"features\")]\n[Head(\"B\", From = \"features\"), Conv2d(2, 1)]", "A", "has no layers; a head is the layers that follow it, up to the next [Head]")]
    [InlineData("[Head(\"A\", From = \"features\"), Conv2d(3, 1), Stage(\"Late\"), ReLU]", "A", "contains [Stage(\"Late\")]; a head is its own stage, so put stages in the trunk, before the first [Head]")]
    public void MDSL0039_a_head_that_cannot_be_declared_this_way(string heads, string name, string problem)
    {
        var d = Single(Trunk + "\n" + heads, "MDSL0039");
        Assert.Equal($"Head '{name}' {problem}", d.GetMessage());
        Assert.StartsWith(problem.StartsWith("contains") ? "Stage(" : $"Head(\"{name}\"", SpanText(d));
    }

    [Fact]
    public void MDSL0039_a_head_named_like_a_stage()
    {
        var d = Single("[Stage(\"Body\"), Conv2d(4, 3, Padding = 1), Tap(\"features\")]\n[Head(\"Body\", From = \"features\"), Conv2d(3, 1)]", "MDSL0039");
        Assert.Equal("Head 'Body' has the name of a stage; a head is a stage of its own, so give it another name", d.GetMessage());
    }

    [Fact]
    public void MDSL0040_trunk_layers_after_the_last_tap_a_head_uses()
    {
        var d = Single("""[Conv2d(4, 3, Padding = 1), Tap("features"), ReLU, Conv2d(8, 3)]""" + "\n[Head(\"Classes\", From = \"features\"), Conv2d(3, 1)]", "MDSL0040");
        Assert.Equal("ReLU", SpanText(d));
        Assert.Equal("Relu1 … Conv2 follow the last tap a head starts from ('features'), so no output of 'Net' depends on them; in a model with heads only the heads are outputs. "
            + "Add [Tap(\"…\")] after them and a [Head] from it, or remove them", d.GetMessage());
    }

    [Fact]
    public void A_head_that_concatenates_a_trunk_tap_uses_the_trunk_up_to_it()
    {
        var run = GeneratorHarness.Run("using ModelDsl;\n[Model(Channels = 1, Height = 8, Width = 8)]\n"
            + "[Conv2d(4, 3, Padding = 1), Tap(\"features\"), Conv2d(4, 3, Padding = 1), Tap(\"skip\")]\n"
            + "[Head(\"Seg\", From = \"features\"), Conv2d(4, 1), Concat(\"skip\"), Conv2d(2, 1)]\npublic partial class Net;\n");
        Assert.DoesNotContain(run.Mdsl, d => d.Id == "MDSL0040");
        Assert.Empty(run.CompilationDiagnostics);
    }

    [Fact]
    public void MDSL0030_a_head_from_an_unknown_tap_names_the_trunk_taps()
    {
        var d = Single(Trunk + "\n[Head(\"Classes\", From = \"feature\"), Conv2d(3, 1)]", "MDSL0030");
        Assert.Equal("From = \"feature\"", SpanText(d));
        Assert.Equal("Head 'Classes' refers to tap 'feature', which no [Tap] defines in the trunk (a head starts from a tap before the first [Head]; the trunk's taps: features)", d.GetMessage());
    }

    [Fact]
    public void MDSL0030_a_head_cannot_start_from_another_heads_tap()
    {
        var d = Single(Trunk + "\n[Head(\"A\", From = \"features\"), Conv2d(3, 1), Tap(\"inner\")]\n[Head(\"B\", From = \"inner\"), Conv2d(3, 1)]", "MDSL0030");
        Assert.Equal("Head 'B' refers to tap 'inner', which no [Tap] defines in the trunk: it belongs to head 'A' (a head starts from a tap before the first [Head]; the trunk's taps: features)", d.GetMessage());
    }
}
