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
    [InlineData("[Flatten, Linear(\"NumClasses\"), ReLU, Linear(4)]", "Follows")]
    [InlineData("[Flatten, Linear(\"NumClasses * 2\")]", "a run-time argument sizes a Linear's OutFeatures or a Conv2d's OutChannels, written as its name alone")]
    [InlineData("[Conv2d(OutChannels = \"NumClasses\", Kernel = 1), BatchNorm2d, Flatten]", "Follows")]
    // A sized layer followed by one with parameters, a Concat with another tensor, or (after a From back to it) anything
    // with parameters: what follows would depend on the argument.
    [InlineData("[Conv2d(8, 3), Tap(\"t\"), Conv2d(OutChannels = \"NumClasses\", Kernel = 1), Concat(\"t\"), GlobalAvgPool, Flatten]", "Follows")]
    [InlineData("[Conv2d(8, 3), Conv2d(OutChannels = \"NumClasses\", Kernel = 1), Tap(\"c\"), From(\"c\"), Conv2d(4, 1)]", "Follows")]
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
        Assert.EndsWith(reason == "Follows" ? FollowedByParameters : reason, d.GetMessage());
    }

    private const string FollowedByParameters = "a run-time argument sizes only the model's last layer (or a head's), or one followed only by layers without parameters "
        + "that pass its channels on (activations, pools, dropout, Flatten, Upsample, padding) or by an Add with another layer it sizes: what follows would depend on it too";

    [Fact]
    public void Two_layers_a_run_time_argument_sizes_may_be_added_on_branches_the_data_keeps_apart()
    {
        // LRASPP's head: one classifier on the upsampled high features, one on the low ones, summed; the branch restarted
        // from "low" does not depend on the first classifier, so its own layers are free.
        var run = GeneratorHarness.Run("""
            using ModelDsl;
            [Model(Channels = 3, Height = 16, Width = 16, Args = "NumClasses = 10")]
            [Conv2d(8, 3, Padding = 1), Tap("low"), Conv2d(16, 3, Stride = 2, Padding = 1), Upsample(SizeOf = "low")]
            [Conv2d(OutChannels = "NumClasses", Kernel = 1), Tap("h"), From("low"), Conv2d(4, 1), Conv2d(OutChannels = "NumClasses", Kernel = 1), Add("h")]
            public partial class Net;
            """);
        Assert.Empty(run.Mdsl.Where(d => d.Severity == DiagnosticSeverity.Error));
        var type = run.Load().GetType("Net", throwOnError: true)!;
        using var net = (torch.nn.Module<torch.Tensor, torch.Tensor>)Activator.CreateInstance(type, 3L)!;
        using var y = net.call(torch.rand(2, 3, 16, 16));
        Assert.Equal(new long[] { 2, 3, 16, 16 }, y.shape);
        Assert.Equal(net.parameters().Sum(p => p.numel()), (long)type.GetMethod("ParameterCountFor")!.Invoke(null, new object[] { 3L })!);
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
