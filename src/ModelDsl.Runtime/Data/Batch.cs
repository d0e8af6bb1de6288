using TorchSharp;

namespace ModelDsl.Data;

/// <summary>
/// One mini-batch: inputs N×C×H×W (float32, [0,1] before normalisation) and targets (int64 class
/// indices, or float for regression/multilabel). Whoever receives a batch owns it and disposes it
/// (the Learner does so at the end of each step).
/// </summary>
public readonly record struct Batch(torch.Tensor Inputs, torch.Tensor Targets) : IDisposable
{
    public long Size => Inputs.shape[0];

    public void Dispose()
    {
        Inputs?.Dispose();
        Targets?.Dispose();
    }
}
