using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using TorchSharp;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// [Model(Args = "NumClasses = 10")]: the class count at run time (<c>new Net(numClasses: 7)</c>), sizing the model's (or a
/// head's) last layer; everything else checked at compile time as before, the counts at the defaults and by ParameterCountFor.
/// </summary>
public class RuntimeArgumentTests
{
    [Fact]
    public void The_class_count_is_a_constructor_argument_and_the_parameter_count_follows_it()
    {
        var run = GeneratorHarness.Run("""
            using ModelDsl;
            [Model(Channels = 1, Height = 8, Width = 8, Args = "NumClasses = 10")]
            [Conv2d(4, 3, Padding = 1), ReLU, Flatten, Linear("NumClasses")]
            public partial class Classifier;

            [Model(Channels = 1, Args = "NumClasses = 3")]
            [Conv2d(8, 3, Padding = 1), ReLU, Conv2d(OutChannels = "NumClasses", Kernel = 1)]
            public partial class Segmenter;
            """);
        Assert.Empty(run.Mdsl);
        var assembly = run.Load();
        var classifier = assembly.GetType("Classifier", throwOnError: true)!;
        long Count(torch.nn.Module m) => m.parameters().Sum(p => p.numel());
        long CountFor(Type t, long k) => (long)t.GetMethod("ParameterCountFor")!.Invoke(null, new object[] { k })!;
        using (var byDefault = (torch.nn.Module<torch.Tensor, torch.Tensor>)Activator.CreateInstance(classifier, 10L)!)
        using (var seven = (torch.nn.Module<torch.Tensor, torch.Tensor>)Activator.CreateInstance(classifier, 7L)!)
        using (var x = torch.rand(2, 1, 8, 8))
        {
            Assert.Equal((long)classifier.GetField("ParameterCount")!.GetValue(null)!, Count(byDefault));
            using var y = seven.call(x);
            Assert.Equal(new long[] { 2, 7 }, y.shape);
            Assert.Equal(7L, classifier.GetProperty("NumClasses")!.GetValue(seven));
            Assert.Equal(Count(seven), CountFor(classifier, 7));
            var graph = (ModelDsl.Interop.ModelGraph)classifier.GetProperty("InstanceGraph")!.GetValue(seven)!;
            Assert.Equal(new Shape(7), graph.Output);
            Assert.Equal(7, ((ModelDsl.Interop.LinearOp)graph.Nodes[^1].Op).OutFeatures);
        }
        var segmenter = assembly.GetType("Segmenter", throwOnError: true)!;
        using (var five = (torch.nn.Module<torch.Tensor, torch.Tensor>)Activator.CreateInstance(segmenter, 5L)!)
        using (var y = five.call(torch.rand(1, 1, 13, 9)))
        {
            Assert.Equal(new long[] { 1, 5, 13, 9 }, y.shape);
            Assert.Equal(Count(five), CountFor(segmenter, 5));
        }
        var e = Assert.Throws<System.Reflection.TargetInvocationException>(() => Activator.CreateInstance(classifier, 0L));
        Assert.Contains("NumClasses must be at least 1", e.InnerException!.Message);
    }

    [Theory]
    [InlineData("[Flatten, Linear(\"NumClasses\"), ReLU, Linear(4)]", "a run-time argument sizes only the model's last layer (or a head's), or one followed only by layers without parameters that pass its channels on (activations, pools, dropout, Flatten): what follows would depend on it too")]
    [InlineData("[Flatten, Linear(\"NumClasses * 2\")]", "a run-time argument sizes a Linear's OutFeatures or a Conv2d's OutChannels, written as its name alone")]
    [InlineData("[Conv2d(OutChannels = \"NumClasses\", Kernel = 1), BatchNorm2d, Flatten]", "a run-time argument sizes only the model's last layer (or a head's), or one followed only by layers without parameters that pass its channels on (activations, pools, dropout, Flatten): what follows would depend on it too")]
    public void A_run_time_argument_anywhere_but_the_output_layers_size_is_MDSL0007(string layers, string reason)
    {
        var run = GeneratorHarness.Run($$"""
            using ModelDsl;
            [Model(Channels = 1, Height = 4, Width = 4, Args = "NumClasses = 10")]
            {{layers}}
            public partial class Net;
            """);
        var d = Assert.Single(run.Mdsl, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("MDSL0007", d.Id);
        Assert.EndsWith(reason, d.GetMessage());
    }

    [Theory]
    [InlineData("NumClasses", "NumClasses needs a default (\"NumClasses = 10\"), so that the model can be built with no arguments")]
    [InlineData("NumClasses = 0", "the default of NumClasses is 0; a size must be at least 1")]
    [InlineData("K = 2, K = 3", "'K' is declared twice")]
    public void Unusable_run_time_arguments_are_MDSL0007_on_the_model(string args, string reason)
    {
        var run = GeneratorHarness.Run($$"""
            using ModelDsl;
            [Model(Features = 4, Args = "{{args}}")]
            [Linear(3)]
            public partial class Net;
            """);
        Assert.Contains(run.Mdsl, d => d.Id == "MDSL0007" && d.GetMessage().EndsWith(reason, StringComparison.Ordinal));
    }
}
