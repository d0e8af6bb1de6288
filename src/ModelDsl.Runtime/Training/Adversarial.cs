using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// Fooling a trained network, as the course shows it: inputs nudged along the sign of the loss's gradient with respect to
/// the input. The model runs in eval mode and its parameters' gradients are left untouched (the gradient is taken with
/// respect to the input alone). Pixels stay in [<c>min</c>, <c>max</c>] (a normalised input's range, or [0, 1]).
/// </summary>
public static class Adversarial
{
    /// <summary>
    /// The fast gradient sign method (Goodfellow et al., 2015): <c>x + ε · sign(∇ₓ loss(model(x), y))</c>, clamped. The loss
    /// is cross-entropy on the model's logits unless given.
    /// </summary>
    public static Tensor Fgsm(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor targets, double epsilon,
        Func<Tensor, Tensor, Tensor>? loss = null, double min = 0, double max = 1)
    {
        Check(model, inputs, epsilon, min, max);
        using var scope = NewDisposeScope();
        var step = GradientSign(model, inputs, targets, loss);
        return (inputs + step * epsilon).clamp(min, max).detach().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Projected gradient descent (Madry et al., 2018): <paramref name="steps"/> signed-gradient steps of <paramref name="alpha"/>,
    /// each projected back into the L∞ ball of radius <paramref name="epsilon"/> around the input and into [min, max]; from
    /// a uniform random start in the ball when <paramref name="seed"/> is given (Madry's), else from the input itself.
    /// </summary>
    public static Tensor Pgd(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor targets, double epsilon, double alpha, int steps,
        int? seed = null, Func<Tensor, Tensor, Tensor>? loss = null, double min = 0, double max = 1)
    {
        Check(model, inputs, epsilon, min, max);
        if (!(alpha > 0)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "PGD's step must be > 0.");
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        using var scope = NewDisposeScope();
        var x = inputs.detach();
        if (seed is { } s)
        {
            using var generator = new Generator((ulong)s, inputs.device);
            x = (x + (rand(inputs.shape, generator: generator, device: inputs.device) * 2 - 1) * epsilon).clamp(min, max);
        }
        for (int i = 0; i < steps; i++)
        {
            var stepped = x + GradientSign(model, x, targets, loss) * alpha;
            // Back into the ε-ball around the input, then into the pixel range.
            x = torch.min(torch.max(stepped, inputs - epsilon), inputs + epsilon).clamp(min, max).detach();
        }
        return x.MoveToOuterDisposeScope();
    }

    private static void Check(nn.Module<Tensor, Tensor> model, Tensor inputs, double epsilon, double min, double max)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        if (!(epsilon >= 0) || double.IsInfinity(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be finite and ≥ 0.");
        if (!(min < max)) throw new ArgumentException($"The pixel range [{min}, {max}] is empty.", nameof(min));
    }

    /// <summary>sign(∇ₓ loss) at <paramref name="inputs"/>, the model in eval mode for the call (its mode restored after).</summary>
    private static Tensor GradientSign(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor targets, Func<Tensor, Tensor, Tensor>? loss)
    {
        bool training = model.training;
        model.eval();
        try
        {
            using var enabled = enable_grad();
            var x = inputs.detach().requires_grad_(true);
            var output = model.call(x);
            var value = loss is null ? nn.functional.cross_entropy(output, targets) : loss(output, targets);
            var gradient = autograd.grad(new[] { value }, new[] { x })[0];
            return gradient.sign();
        }
        finally
        {
            model.train(training);
        }
    }
}
