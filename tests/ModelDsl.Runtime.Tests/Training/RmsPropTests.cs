using ModelDsl.Training;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>OptimizerSpec.RMSprop against PyTorch's update rule, written out; its refusal of a fused (mixed-precision) build.</summary>
public class RmsPropTests
{
    [Fact]
    public void Two_steps_follow_PyTorchs_rule_with_weight_decay()
    {
        const double lr = 0.01, alpha = 0.9, eps = 1e-8, decay = 0.1;
        using var p = new Parameter(tensor(new float[] { 1f, -2f, 0.5f }));
        var optimizer = OptimizerSpec.RMSprop(alpha: alpha, eps: eps, weightDecay: decay).Build(new[] { new[] { p } }, lr);
        double[] x = { 1, -2, 0.5 }, v = new double[3];
        foreach (var grad in new[] { new[] { 0.3, -1.0, 2.0 }, new[] { -0.7, 0.2, 1.5 } })
        {
            p.grad = tensor(grad.Select(g => (float)g).ToArray());
            optimizer.step();
            for (int i = 0; i < 3; i++)
            {
                double g = grad[i] + decay * x[i];               // L2 weight decay added to the gradient
                v[i] = alpha * v[i] + (1 - alpha) * g * g;       // square average
                x[i] -= lr * g / (Math.Sqrt(v[i]) + eps);
            }
            var actual = p.data<float>().ToArray();
            for (int i = 0; i < 3; i++) Assert.Equal(x[i], actual[i], 5);
        }
    }

    [Fact]
    public void A_fused_build_for_mixed_precision_is_refused_with_the_alternatives()
    {
        using var p = new Parameter(zeros(2));
        var e = Assert.Throws<NotSupportedException>(() => (OptimizerSpec.RMSprop() with { Fused = true }).Build(new[] { new[] { p } }, 0.01));
        Assert.Contains("SGD, Adam and AdamW", e.Message);
    }
}
