namespace ModelDsl.Metrics;

/// <summary>Error rate = 1 − <see cref="Accuracy"/> (same tasks, top-k and checks).</summary>
public sealed class ErrorRate : Accuracy
{
    public ErrorRate(int? numClasses = null, int topK = 1, ClassificationTask task = ClassificationTask.Multiclass,
        double threshold = 0.5, bool fromLogits = true, long? ignoreIndex = null)
        : base(numClasses, topK, task, threshold, fromLogits, ignoreIndex) { }

    public override string Name => TopK == 1 ? "error_rate" : $"top{TopK}_error_rate";

    public override double Compute() => FromAccuracy(base.Compute());

    protected override double FromAccuracy(double accuracy) => 1.0 - accuracy;
}
