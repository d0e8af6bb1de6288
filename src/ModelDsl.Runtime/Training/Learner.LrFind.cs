using System.Text;
using ModelDsl.Augmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>The learning-rate range test (Smith 2015, fastai's lr_find).</summary>
public sealed partial class Learner
{
    /// <summary>
    /// Trains for up to <paramref name="iterations"/> batches while the rate grows exponentially from
    /// <paramref name="startLr"/> to <paramref name="endLr"/>, recording the smoothed loss, and stops
    /// early once the loss exceeds 4× its best (it has diverged; the rest of the curve says nothing).
    /// Afterwards the model's weights and buffers, the optimizer state, the RNG and the training
    /// loader's random state (its augmentation generators) are put back exactly,
    /// so the finder can be run before <see cref="Fit"/> without changing what Fit does.
    /// Every unfrozen stage gets the same rate (per-stage rates are ignored); frozen stages stay frozen.
    /// Plot it with <c>ModelDsl.Reports.Plots.LrFinder(r.LearningRates, r.Losses, path, r.Suggestion)</c>.
    /// </summary>
    public LrFindResult LrFind(double startLr = 1e-7, double endLr = 10, int iterations = 100, bool stopOnDivergence = true)
    {
        if (!(startLr > 0) || !(endLr > startLr)) throw new ArgumentOutOfRangeException(nameof(endLr), "Need 0 < startLr < endLr.");
        if (iterations < 2) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "Need at least 2 iterations.");

        // Snapshot everything the finder will disturb.
        var weights = Module.state_dict().Select(kv => (kv.Value, Copy: kv.Value.detach().clone())).ToList();
        using var optState = new MemoryStream();
        using (var w = new BinaryWriter(optState, Encoding.UTF8, leaveOpen: true)) Optimizer.save_state_dict(w);
        var rng = Checkpoint.CaptureRng();
        var loaderState = (Train as IRandomState)?.SaveRandomState();
        var scale = LossScaler is { } sc ? (sc.Scale, sc.GrowthTracker, sc.SkippedSteps) : default;
        bool wasTraining = Module.training;

        var lrs = new List<double>();
        var losses = new List<double>();
        try
        {
            Module.train();
            const double beta = 0.98;
            double avg = 0, best = double.PositiveInfinity;
            int i = 0;
            bool done = false;
            while (!done)
            {
                bool any = false;
                foreach (var batch in Train)
                {
                    using (batch)
                    {
                        any = true;
                        double lr = startLr * Math.Pow(endLr / startLr, (double)i / (iterations - 1));
                        _stages.ApplyUniformRate(lr);
                        using var scope = NewDisposeScope();
                        var result = TrainBatch(batch.Inputs, batch.Targets, probe: true);
                        if (!result.Stepped) { done = true; break; }
                        double value = result.Loss;
                        avg = beta * avg + (1 - beta) * value;
                        double smoothed = avg / (1 - Math.Pow(beta, i + 1));
                        lrs.Add(lr);
                        losses.Add(smoothed);
                        best = Math.Min(best, smoothed);
                        i++;
                        if (i >= iterations || (stopOnDivergence && smoothed > 4 * best)) { done = true; break; }
                    }
                }
                if (!any) throw new InvalidOperationException("The training loader yielded no batches.");
            }
        }
        finally
        {
            using (no_grad())
                foreach (var (target, copy) in weights) { target.copy_(copy); copy.Dispose(); }
            optState.Position = 0;
            using (var r = new BinaryReader(optState, Encoding.UTF8, leaveOpen: true)) Optimizer.load_state_dict(r);
            Optimizer.zero_grad();
            Checkpoint.RestoreRng(rng);
            if (loaderState is not null) ((IRandomState)Train).LoadRandomState(loaderState);
            LossScaler?.Restore(scale.Scale, scale.GrowthTracker, scale.SkippedSteps);
            Module.train(wasTraining);
        }
        if (lrs.Count < 3) throw new InvalidOperationException($"The LR finder diverged after {lrs.Count} step(s); lower startLr.");
        return new LrFindResult(lrs, losses, Valley(lrs, losses), Steepest(lrs, losses), lrs[IndexOfMin(losses)] / 10);
    }

    /// <summary>fastai's "valley": the longest strictly decreasing run of the curve (as a subsequence), then 2/3 of the way along it.</summary>
    internal static double Valley(IReadOnlyList<double> lrs, IReadOnlyList<double> losses)
    {
        int n = losses.Count;
        var lds = Enumerable.Repeat(1, n).ToArray();
        int maxStart = 0, maxEnd = 0;
        for (int i = 1; i < n; i++)
        {
            for (int j = 0; j < i; j++)
                if (losses[i] < losses[j] && lds[i] < lds[j] + 1) lds[i] = lds[j] + 1;
            if (lds[maxEnd] < lds[i]) { maxEnd = i; maxStart = maxEnd - lds[maxEnd]; }
        }
        double sections = (maxEnd - maxStart) / 3.0;
        int idx = Math.Clamp(maxStart + (int)sections + (int)(sections / 2), 0, n - 1);
        return lrs[idx];
    }

    /// <summary>The rate where d(loss)/d(log lr) is most negative (central differences).</summary>
    internal static double Steepest(IReadOnlyList<double> lrs, IReadOnlyList<double> losses)
    {
        int best = 1;
        double bestSlope = double.PositiveInfinity;
        for (int i = 1; i < losses.Count - 1; i++)
        {
            double slope = (losses[i + 1] - losses[i - 1]) / (Math.Log(lrs[i + 1]) - Math.Log(lrs[i - 1]));
            if (slope < bestSlope) { bestSlope = slope; best = i; }
        }
        return lrs[best];
    }

    private static int IndexOfMin(IReadOnlyList<double> v)
    {
        int k = 0;
        for (int i = 1; i < v.Count; i++) if (v[i] < v[k]) k = i;
        return k;
    }
}
