using ModelDsl.Generator.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// <c>Key = "…"</c>: a layer's (or block use's) segment in the state_dict, registered under it while the C# property keeps its
/// readable name; a key that cannot be one registration name is MDSL0012 on the Key argument.
/// </summary>
public class StateDictKeyTests
{
    [Fact]
    public void Keys_register_the_modules_and_the_properties_keep_their_names()
    {
        var run = GeneratorHarness.Run("""
            using ModelDsl;
            [Block]
            [Conv2d(Kernel = 3, Padding = 1, Name = "conv1", Key = "0"), BatchNorm2d(Key = "1")]
            public partial class Unit;

            [Model(Channels = 3, Height = 8, Width = 8)]
            [Stage("features")]
            [Conv2d(8, 3, Padding = 1, Key = "0"), ReLU(Key = "1")]
            [Use<Unit>(Repeat = 2, Key = "2")]
            [GlobalAvgPool, Flatten]
            [Stage("classifier")]
            [Linear(10, Key = "1")]
            public partial class Net;
            """);
        Assert.Empty(run.Mdsl);
        using var net = (torch.nn.Module<torch.Tensor, torch.Tensor>)Activator.CreateInstance(run.Load().GetType("Net", throwOnError: true)!)!;
        // torchvision's layout: numbered Sequential children, a repeated block numbered from its Key, keyed layers inside it.
        Assert.Equal(new[]
        {
            "features.0.weight", "features.0.bias",
            "features.2.0.weight", "features.2.0.bias", "features.2.1.weight", "features.2.1.bias", "features.2.1.running_mean", "features.2.1.running_var", "features.2.1.num_batches_tracked",
            "features.3.0.weight", "features.3.0.bias", "features.3.1.weight", "features.3.1.bias", "features.3.1.running_mean", "features.3.1.running_var", "features.3.1.num_batches_tracked",
            "classifier.1.weight", "classifier.1.bias",
        }.Order(StringComparer.Ordinal), net.state_dict().Keys.Order(StringComparer.Ordinal));
        // The C# properties keep their readable names.
        Assert.NotNull(net.GetType().GetProperty("Conv1"));
        Assert.NotNull(net.GetType().GetProperty("Unit2"));
        Assert.NotNull(run.Load().GetType("Unit", throwOnError: true)!.GetProperty("conv1"));
        // The graph the exporters walk carries the same paths.
        var graph = (ModelDsl.Interop.ModelGraph)net.GetType().GetProperty("Graph")!.GetValue(null)!;
        Assert.Equal("features.2.1", graph.Nodes.Single(n => n.Name == "Unit1").Inner[1].Path);
    }

    [Theory]
    [InlineData("[Conv2d(8, 3, Key = \"conv.0\")]", "conv.0", "a state_dict key is one segment (no dots)")]
    [InlineData("[Conv2d(8, 3, Key = \"\")]", "", "a state_dict key cannot be empty")]
    [InlineData("[Stage(\"features\"), Conv2d(8, 3, Key = \"0\"), ReLU(Key = \"0\")]", "0", "two layers of stage features are registered as '0'")]
    [InlineData("[Stage(\"features\"), Conv2d(8, 3)][Stage(\"head\"), ReLU][Use<Unit>(Key = \"x\")]", "x", "")]
    [InlineData("[Use<Unit>(Repeat = 2, Key = \"layer\")]", "layer", "a [Use] repeated 2 times numbers its copies from its Key, so the Key must be an integer")]
    public void Keys_that_cannot_register_are_MDSL0012_on_the_key(string layers, string key, string problem)
    {
        var run = GeneratorHarness.Run($$"""
            using ModelDsl;
            [Block]
            [Conv2d(Kernel = 3, Padding = 1)]
            public partial class Unit;

            [Model(Channels = 3, Height = 8, Width = 8)]
            {{layers}}
            public partial class Net;
            """);
        Assert.Null(run.GeneratorException);
        if (problem.Length == 0) { Assert.Empty(run.Mdsl); return; } // a key in a stage is free at the top level
        var d = Assert.Single(run.Mdsl, d => d.Id == "MDSL0012");
        Assert.Equal($"Name '{key}' cannot be used: {problem}", d.GetMessage()[..Math.Min(d.GetMessage().Length, $"Name '{key}' cannot be used: {problem}".Length)]);
    }

    [Fact]
    public void A_key_that_takes_a_stages_name_is_refused()
    {
        var run = GeneratorHarness.Run("""
            using ModelDsl;
            [Model(Channels = 3, Height = 8, Width = 8)]
            [Conv2d(8, 3, Key = "features")]
            [Stage("features"), ReLU]
            public partial class Net;
            """);
        var d = Assert.Single(run.Mdsl, d => d.Id == "MDSL0012");
        Assert.Equal("Name 'features' cannot be used: 'features' is already registered here (a stage, or a block's own member)", d.GetMessage());
    }
}
