using TorchSharp;

namespace ModelDsl.Metrics;

/// <summary>
/// Area under the ROC curve, exact (trapezoid over every distinct threshold; ties count half), streaming
/// through a <see cref="RocCurve"/>. Binary: the AUC of the positive class. Multiclass: one-vs-rest macro
/// average over the classes whose curve is defined (at least one positive and one negative sample);
/// <see cref="ComputePerClass"/> gives each class's AUC (NaN where undefined). Compute throws when no curve
/// is defined (e.g. the targets contain a single class), like sklearn.
/// </summary>
public sealed class Auroc : IMetric, IDisposable
{
    public Auroc(ClassificationTask task = ClassificationTask.Binary, int numClasses = 2, bool fromLogits = true)
    {
        Curve = new RocCurve(task, numClasses, fromLogits);
    }

    public string Name => "auroc";
    public RocCurve Curve { get; }

    public void Update(torch.Tensor predictions, torch.Tensor targets) => Curve.Update(predictions, targets);

    public double Compute()
    {
        var curves = Curve.Compute();
        var defined = curves.Where(c => c.IsDefined).ToArray();
        if (defined.Length == 0)
            throw new InvalidOperationException(Curve.Task == ClassificationTask.Binary
                ? $"{Name}: AUROC is undefined — the targets contain only {(curves[0].Positives == 0 ? "negatives" : "positives")}."
                : $"{Name}: AUROC is undefined for every class (each needs at least one positive and one negative sample).");
        return defined.Average(c => c.Auc);
    }

    public double[] ComputePerClass() => Curve.Compute().Select(c => c.Auc).ToArray();

    public void Reset() => Curve.Reset();

    public void Dispose() => Curve.Dispose();
}
