using ModelDsl.Samples;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Generator.Tests.Graphs;

/// <summary>The samples' graph and any-size models, generated at build time: the FCN equals its classifier, the U-Net segments any multiple of 4.</summary>
public class CourseGraphModelTests
{
    [Fact]
    public void The_convolutionized_classifier_gives_the_classifier_scores_on_32x32_and_a_score_map_on_larger_images()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(7);
        var classifier = new SmallClassifier();
        var fcn = SmallClassifierFcn.FromClassifier(classifier);
        classifier.eval();
        fcn.eval();
        Assert.Equal(SmallClassifier.ParameterCount, SmallClassifierFcn.ParameterCount);
        Assert.Equal("H, W = any size ≥ 32", SmallClassifierFcn.Accepts);

        var image = randn(2, 3, 32, 32);
        var scores = classifier.forward(image);
        var map = fcn.forward(image);
        Assert.Equal(new long[] { 2, 10, 1, 1 }, map.shape);
        Assert.True(allclose(scores, map.flatten(1), rtol: 1e-4, atol: 1e-5));

        // A larger image: one score vector per 32×32 window, 4 pixels apart; the corner one is the classifier's on the corner crop.
        var large = randn(1, 3, 64, 96);
        var large_map = fcn.forward(large);
        Assert.Equal(SmallClassifierFcn.OutputShapeFor(new Shape(3, 64, 96)).WithBatch(1), large_map.shape);
        Assert.Equal(new Shape(10, 9, 17), SmallClassifierFcn.OutputShapeFor(new Shape(3, 64, 96)));
        var corner = classifier.forward(large[.., .., ..32, ..32]);
        Assert.True(allclose(corner, large_map[.., .., 0, 0], rtol: 1e-4, atol: 1e-5));
        var shifted = classifier.forward(large[.., .., 4..36, 8..40]);
        Assert.True(allclose(shifted, large_map[.., .., 1, 2], rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void The_digit_UNet_segments_any_multiple_of_4()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var net = new DigitUNet();
        net.eval();
        Assert.Equal("H, W = 4, 8, 12, … (multiples of 4)", DigitUNet.Accepts);
        Assert.Equal(DigitUNet.ParameterCount, net.parameters().Sum(p => p.numel()));
        foreach (var (h, w) in new[] { (28L, 28L), (64L, 96L), (4L, 8L) })
            Assert.Equal(new long[] { 1, 11, h, w }, net.forward(zeros(1, 1, h, w)).shape);
        Assert.Throws<ArgumentException>(() => net.forward(zeros(1, 1, 30, 28)));
    }

    [Fact]
    public void The_two_head_detector_gives_class_scores_and_sigmoid_boxes_on_an_8x8_grid()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var net = new TwoHeadDetector();
        net.eval();
        Assert.Equal(new Shape(1, 64, 64), TwoHeadDetector.InputShape);
        Assert.Equal(new Shape(11, 8, 8), TwoHeadDetector.ClassesShape);
        Assert.Equal(new Shape(5, 8, 8), TwoHeadDetector.BoxesShape);
        Assert.Equal(TwoHeadDetector.ParameterCount, net.parameters().Sum(p => p.numel()));
        TwoHeadDetectorOutput output = net.forward(randn(3, 1, 64, 64));
        Assert.Equal(new long[] { 3, 11, 8, 8 }, output.Classes.shape);
        Assert.Equal(new long[] { 3, 5, 8, 8 }, output.Boxes.shape);
        Assert.True(output.Boxes.min().item<float>() > 0 && output.Boxes.max().item<float>() < 1);
        IModelOutput generic = output;
        Assert.Equal(new[] { "Classes", "Boxes" }, generic.HeadNames);
        Assert.Same(output.Boxes, generic.Heads[1]);
        // Freezing one head leaves the other and the backbone trainable.
        foreach (var p in net.Boxes.parameters()) p.requires_grad = false;
        Assert.Equal(TwoHeadDetector.Layers.Where(l => l.Stage != "Boxes").Sum(l => l.Parameters),
            net.parameters().Where(p => p.requires_grad).Sum(p => p.numel()));
        var wrong = Assert.Throws<ArgumentException>(() => net.forward(zeros(1, 1, 32, 32)));
        Assert.Contains("TwoHeadDetector", wrong.Message);
    }
    [Fact]
    public void The_YOLO_grid_net_lists_its_49_cells_with_20_numbers_each_in_PyTorchs_channels_last_order()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var net = new YoloGrid7();
        net.eval();
        Assert.Equal(new Shape(49, 20), YoloGrid7.OutputShape);
        Assert.Equal(YoloGrid7.ParameterCount, net.parameters().Sum(p => p.numel()));
        var x = randn(2, 1, 56, 56);
        var cells = net.forward(x);
        Assert.Equal(new long[] { 2, 49, 20 }, cells.shape);
        // The same numbers as the conv head's 20×7×7 map, channels moved last and the grid flattened row by row.
        var map = net.Conv4.call(net.MaxPool3.call(net.Relu3.call(net.BatchNorm3.call(net.Conv3.call(net.MaxPool2.call(net.Relu2.call(net.BatchNorm2.call(net.Conv2.call(net.MaxPool1.call(net.Relu1.call(net.BatchNorm1.call(net.Conv1.call(x)))))))))))));
        Assert.True(cells.allclose(map.permute(0, 2, 3, 1).reshape(2, 49, 20)));
    }
}
