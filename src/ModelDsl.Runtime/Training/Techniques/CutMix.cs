using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// CutMix (Yun et al. 2019; torchvision's <c>v2.CutMix</c>): a box of area about (1 − λ) of every training image is
/// replaced by the same box of another image of the batch, λ ~ Beta(α, α) per batch; the box's centre is uniform and
/// it is clipped at the borders, so the targets are mixed by the area actually pasted, as torchvision does.
/// </summary>
public sealed class CutMix(double alpha = 1.0, long seed = 0) : SampleMixing(alpha, seed)
{
    protected override double Mix(StepContext step, Tensor order, double drawn, Generator g)
    {
        var x = step.Inputs;
        if (x.dim() != 4) throw new InvalidOperationException($"CutMix pastes boxes of N×C×H×W images; the inputs are [{string.Join(", ", x.shape)}].");
        long h = x.shape[2], w = x.shape[3];
        using var centre = rand(new long[] { 2 }, generator: g, device: x.device); // on the generator's device (a CUDA generator refuses a CPU draw)
        double side = Math.Sqrt(1 - drawn);
        long cy = (long)(centre[0].item<float>() * h), cx = (long)(centre[1].item<float>() * w);
        long top = Math.Clamp(cy - (long)(h * side / 2), 0, h), bottom = Math.Clamp(cy + (long)(h * side / 2), 0, h);
        long left = Math.Clamp(cx - (long)(w * side / 2), 0, w), right = Math.Clamp(cx + (long)(w * side / 2), 0, w);
        if (bottom <= top || right <= left) return 1.0;
        var mixed = x.clone();
        TensorIndex rows = TensorIndex.Slice(top, bottom), columns = TensorIndex.Slice(left, right);
        mixed[TensorIndex.Ellipsis, rows, columns] = x.index_select(0, order)[TensorIndex.Ellipsis, rows, columns];
        step.Inputs = mixed;
        return 1.0 - (double)((bottom - top) * (right - left)) / (h * w);
    }
}
