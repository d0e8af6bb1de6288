using static TorchSharp.torch;

namespace ModelDsl.Training;

public sealed partial class Learner
{
    /// <summary>
    /// fastai's <c>fine_tune</c> for a pretrained backbone with a new head: first every stage but the last (the head) frozen
    /// for <paramref name="freezeEpochs"/> one-cycle epochs at <paramref name="baseLr"/> (its warm-up nearly the whole cycle,
    /// fastai's pct_start 0.99); then all unfrozen for <paramref name="epochs"/> one-cycle epochs at half that rate, the stages'
    /// rates spread geometrically from <c>baseLr / 2 / lrMult</c> for the first to <c>baseLr / 2</c> for the head (fastai's
    /// <c>slice(base_lr / lr_mult, base_lr)</c>). BatchNorm statistics: a frozen stage's running statistics still update in
    /// training mode, its BatchNorm weights do not (fastai's train_bn trains those too). The stage rates are cleared afterwards.
    /// Returns both phases' epochs.
    /// </summary>
    public History FineTune(int epochs, double baseLr = 2e-3, int freezeEpochs = 1, double lrMult = 100, double pctStart = 0.3, double div = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(freezeEpochs);
        if (!(baseLr > 0) || !double.IsFinite(baseLr)) throw new ArgumentOutOfRangeException(nameof(baseLr), baseLr, "A learning rate must be finite and > 0.");
        if (!(lrMult >= 1)) throw new ArgumentOutOfRangeException(nameof(lrMult), lrMult, "lrMult divides the first stage's rate: at least 1.");
        var history = new History();
        var names = _stages.Names.ToList();
        if (freezeEpochs > 0 && names.Count > 1)
        {
            Freeze(names.Take(names.Count - 1).ToArray());
            try
            {
                foreach (var record in FitOneCycle(freezeEpochs, baseLr, pctStart: 0.99)) history.Add(record);
            }
            finally
            {
                Unfreeze();
            }
        }
        double lr = baseLr / 2;
        for (int i = 0; i < names.Count; i++)
            SetStageLearningRate(names[i], names.Count == 1 ? lr : lr / lrMult * Math.Pow(lrMult, i / (double)(names.Count - 1)));
        try
        {
            foreach (var record in FitOneCycle(epochs, lr, pctStart, div)) history.Add(record);
        }
        finally
        {
            foreach (var name in names) SetStageLearningRate(name, null);
        }
        return history;
    }
}
