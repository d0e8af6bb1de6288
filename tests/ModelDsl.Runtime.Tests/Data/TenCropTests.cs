using ModelDsl.Augmentation;
using ModelDsl.Runtime.Tests.Interop;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>
/// Five-crop and ten-crop as torchvision computes them (Debian's torchvision on the same tensor, odd sizes so the centre's
/// rounding shows), and AlexNet's ten-crop test-time augmentation: the average of the ten crops' predictions.
/// </summary>
public class TenCropTests
{
    private const string Script = """
        import sys, torch
        import torchvision.transforms.functional as F
        out = sys.argv[1]
        x = torch.arange(2 * 3 * 9 * 12, dtype=torch.float32).reshape(2, 3, 9, 12)
        crops = {f"c{i}": c.contiguous() for i, c in enumerate(F.ten_crop(x, [5, 7]))}
        crops["x"] = x
        torch.save(crops, f"{out}/reference.pt")
        print("ok")
        """;

    [Fact]
    public void Ten_crops_equal_torchvisions_and_the_prediction_averages_them()
    {
        var saved = TorchvisionReference.Compute(Script);
        using var x = saved["x"];
        var crops = TestTimeAugmentation.TenCrop(x, 5, 7);
        Assert.Equal(10, crops.Count);
        for (int i = 0; i < 10; i++)
        {
            using var expected = saved[$"c{i}"];
            Assert.True(expected.shape.SequenceEqual(crops[i].shape) && expected.eq(crops[i]).all().item<bool>(), $"crop {i}: [{string.Join(", ", crops[i].shape)}]");
        }
        Assert.Equal(5, TestTimeAugmentation.FiveCrop(x, 5, 7).Count);
        Assert.Throws<ArgumentException>(() => TestTimeAugmentation.FiveCrop(x, 10, 7));

        // The prediction is the mean of the ten crops' softmax outputs.
        Func<Tensor, Tensor> model = t => t.mean(new long[] { 2, 3 });          // N×3 "logits" from each crop
        using var predicted = TestTimeAugmentation.PredictTenCrop(model, x, 5, 7);
        using var manual = stack(crops.Select(c => model(c).softmax(-1)).ToArray()).mean(new long[] { 0 });
        Assert.True(predicted.allclose(manual, rtol: 1e-6, atol: 1e-7));
        Assert.Equal(new long[] { 2, 3 }, predicted.shape);
    }
}
