using static TorchSharp.torch;

namespace ModelDsl.Training;

public sealed partial class Learner
{
    /// <summary>
    /// What one forward pass returned, as the loops use it: the loss takes it, metrics and predictions see it
    /// as one tensor (<see cref="AsTensor"/>), mixed precision casts it back to float32. Kept apart from the
    /// loops so that they do not depend on what the model's forward returns.
    /// </summary>
    private readonly struct ForwardOutput
    {
        private readonly Tensor _tensor;

        public ForwardOutput(Tensor tensor) => _tensor = tensor;

        /// <summary>The output in float32 when the model computed it in a low-precision type (for the loss, softmax and metrics).</summary>
        public ForwardOutput ToFloat32() => new(ToFloat32(_tensor));

        /// <summary>The batch's loss under <paramref name="loss"/>.</summary>
        public Tensor LossOf(Loss loss, Tensor targets) => loss.Compute(_tensor, targets);

        /// <summary>The one tensor metrics, <see cref="Predict"/> and <see cref="GetPredictions"/> see.</summary>
        public Tensor AsTensor() => _tensor;

        private static Tensor ToFloat32(Tensor t) =>
            t.is_floating_point() && t.dtype != ScalarType.Float32 ? t.to(ScalarType.Float32) : t;
    }
}
