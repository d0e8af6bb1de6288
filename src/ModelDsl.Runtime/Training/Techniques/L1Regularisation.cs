using ModelDsl.Platform;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// <see cref="LearnerOptions.L1"/> as a step technique: after the loss, λ·Σ|w| over the trainable parameters (in float32)
/// joins the tensor backward runs on; the table's loss stays the data loss, as the course computes it.
/// </summary>
internal sealed class L1Regularisation(double lambda, Func<IEnumerable<Parameter>> trainable) : ILearnerCallback, IDisposable
{
    // λ as a Scalar owned for the learner's life (a bare number would be a temporary Scalar: KeptScalars says why).
    private readonly Scalar _lambda = lambda.ToScalar();

    public void AfterLoss(StepContext step)
    {
        Tensor? sum = null;
        foreach (var p in trainable())
        {
            var term = p.abs().sum().to_type(ScalarType.Float32);
            sum = sum is null ? term : sum.add(term, KeptScalars.One);
        }
        if (sum is not null) step.Loss = step.Loss!.add(sum.mul(_lambda), KeptScalars.One);
    }

    public void Dispose() => _lambda.Dispose();
}
