using ModelDsl.Interop;
using ModelDsl.Samples;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Interop;

/// <summary>
/// The generic convolutionize against the course's hand-written one (<see cref="SmallClassifierFcn.FromClassifier"/>): the same
/// class-score maps at the classifier's size and larger, the classifier's own scores at its size, and a graph refused.
/// </summary>
public class ConvolutionizeTests
{
    [Fact]
    public void Any_chain_classifier_becomes_its_fully_convolutional_twin_with_its_weights()
    {
        manual_seed(3);
        using var classifier = new SmallClassifier();
        classifier.eval();
        using var generic = Convolutionized.Of(classifier);
        using var byHand = SmallClassifierFcn.FromClassifier(classifier);
        generic.eval();
        byHand.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var small = randn(2, 3, 32, 32);
        Assert.True(generic.call(small).reshape(2, 10).allclose(classifier.call(small), rtol: 1e-4, atol: 1e-5));
        var large = randn(2, 3, 48, 40);
        var map = generic.call(large);
        Assert.Equal(new long[] { 2, 10, 5, 3 }, map.shape);                 // one score vector per 32×32 window, stride 4
        Assert.True(map.allclose(byHand.call(large), rtol: 1e-4, atol: 1e-5));
        // A copy: changing the twin leaves the classifier as it was.
        var before = classifier.call(small);
        foreach (var p in generic.parameters()) p.add_(1);
        Assert.True(classifier.call(small).eq(before).all().item<bool>());
    }

    [Fact]
    public void A_net_without_a_Flatten_Linear_head_or_with_a_graph_is_refused_naming_why()
    {
        using var fcn = new SmallClassifierFcn();
        var e = Assert.Throws<NotSupportedException>(() => Convolutionized.Of(fcn));
        Assert.Contains("no Flatten followed by a Linear head", e.Message);
        using var unet = new DigitUNet();
        var graph = Assert.Throws<NotSupportedException>(() => Convolutionized.Of(unet));
        Assert.Contains("convolutionize takes a chain of layers; this net is a graph", graph.Message);
    }
}
