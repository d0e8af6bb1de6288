using TorchSharp;

namespace ModelDsl.Metrics;

/// <summary>
/// Streaming confusion matrix: <see cref="Compute"/> returns C×C counts, row = true class, column =
/// predicted class (sklearn's layout). Binary: 2×2 after the threshold. Multilabel: use
/// <see cref="ComputeMultilabel"/> (L×2×2).
/// </summary>
public sealed class ConfusionMatrix : IMetric<long[,]>, IDisposable
{
    public ConfusionMatrix(int numClasses, ClassificationTask task = ClassificationTask.Multiclass,
        double threshold = 0.5, bool fromLogits = true, long? ignoreIndex = null)
    {
        State = new ConfusionMatrixState(Name, task, numClasses, threshold, fromLogits, ignoreIndex);
    }

    public string Name => "confusion_matrix";
    public ConfusionMatrixState State { get; }
    public int NumClasses => State.NumClasses;

    public void Update(torch.Tensor predictions, torch.Tensor targets) => State.Update(predictions, targets);

    public long[,] Compute() => State.Counts();

    /// <summary>Rows divided by their sums (each row = recall distribution of a true class); empty rows stay 0.</summary>
    public double[,] ComputeNormalized()
    {
        var m = Compute();
        int c = m.GetLength(0);
        var r = new double[c, c];
        for (int i = 0; i < c; i++)
        {
            long s = 0;
            for (int j = 0; j < c; j++) s += m[i, j];
            for (int j = 0; j < c; j++) r[i, j] = s == 0 ? 0 : (double)m[i, j] / s;
        }
        return r;
    }

    public long[,,] ComputeMultilabel() => State.LabelCounts();

    public ClassStatistics ComputeStatistics() => State.Statistics();

    public void Reset() => State.Reset();

    public void Dispose() => State.Dispose();
}
