using static TorchSharp.torch;

namespace ModelDsl.Training;

public sealed partial class Learner
{
    /// <summary>
    /// What one forward pass returned, as the loops use it: one tensor, or a multi-head model's
    /// <see cref="IModelOutput"/>. The loss takes it as it is (fastai's way: the loss takes whatever the model
    /// returns); metrics and predictions see it as one tensor (<see cref="AsTensor"/>); mixed precision casts it
    /// back to float32. Kept apart from the loops so that they do not depend on what the model's forward returns.
    /// </summary>
    private readonly struct ForwardOutput
    {
        private readonly Tensor? _tensor;
        private readonly IModelOutput? _heads;

        public ForwardOutput(Tensor tensor) => _tensor = tensor;

        public ForwardOutput(IModelOutput heads) => _heads = heads;

        /// <summary>The output in float32 when the model computed it in a low-precision type (for the loss, softmax and metrics).</summary>
        public ForwardOutput ToFloat32() =>
            _tensor is { } t ? new(ToFloat32(t)) : new(new HeadTensors(_heads!.Heads.Select(ToFloat32).ToList(), _heads.HeadNames));

        /// <summary>The batch's loss under <paramref name="loss"/>.</summary>
        public Tensor LossOf(Loss loss, Tensor targets) => _tensor is { } t ? loss.Compute(t, targets) : loss.Compute(_heads!, targets);

        /// <summary>
        /// The one tensor metrics, <see cref="Predict"/> and <see cref="GetPredictions"/> see: the output itself, or
        /// the heads concatenated along dimension 1 in declaration order (<see cref="ModelOutputs.Concatenated"/>).
        /// </summary>
        public Tensor AsTensor() => _tensor ?? ModelOutputs.Concatenated(_heads!);

        private static Tensor ToFloat32(Tensor t) =>
            t.is_floating_point() && t.dtype != ScalarType.Float32 ? t.to(ScalarType.Float32) : t;
    }

    /// <summary>A multi-head output with its heads replaced (cast to float32); the names stay.</summary>
    private sealed record HeadTensors(IReadOnlyList<Tensor> Heads, IReadOnlyList<string> HeadNames) : IModelOutput;
}
