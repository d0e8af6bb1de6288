using ModelDsl.Metrics;
using TorchSharp;
using Xunit;
using static ModelDsl.Runtime.Tests.Metrics.Fixtures;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Metrics;

/// <summary>Metric state must survive the caller's dispose scopes (a training step usually runs in one) and must not leak.</summary>
public class LifetimeTests
{
    private static IEnumerable<(Func<IMetric> Make, double Expected)> Metrics() => new (Func<IMetric>, double)[]
    {
        (() => new Accuracy(3), 0.75),
        (() => new Accuracy(3, topK: 2), 7.0 / 8),
        (() => new F1Score(3, Average.Weighted), McWeightedF1),
        (() => new BalancedErrorRate(3), 5.0 / 18),
        (() => new PixelAccuracy(3), 0.75),
        (() => new Auroc(ClassificationTask.Multiclass, 3), double.NaN),
    };

    [Fact]
    public void State_survives_the_callers_dispose_scope()
    {
        foreach (var (make, expected) in Metrics())
        {
            var m = make();
            for (int i = 0; i < 2; i++)
                using (NewDisposeScope())
                {
                    m.Update(McPred()[(i * 4)..((i + 1) * 4)], McTarget()[(i * 4)..((i + 1) * 4)]);
                }
            var v = m.Compute();
            if (!double.IsNaN(expected)) Assert.Equal(expected, v, 9);
            ((IDisposable)m).Dispose();
        }
    }

    [Fact]
    public void Update_compute_reset_cycles_do_not_leak_tensors()
    {
        using var p = McPred(); using var t = McTarget();
        var metrics = Metrics().Select(x => x.Make()).Append(new ConfusionMatrixAsMetric()).ToArray();
        long Live() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        void Epoch()
        {
            foreach (var m in metrics)
            {
                m.Update(p, t); m.Update(p, t);
                m.Compute();
                m.Reset();
            }
        }
        Epoch(); // warm-up (lazy state)
        long before = Live();
        for (int e = 0; e < 3; e++) Epoch();
        Assert.Equal(before, Live());
    }

    private sealed class ConfusionMatrixAsMetric : IMetric
    {
        private readonly ConfusionMatrix _cm = new(3);
        public string Name => _cm.Name;
        public void Update(Tensor predictions, Tensor targets) => _cm.Update(predictions, targets);
        public double Compute() => _cm.Compute()[0, 0];
        public void Reset() => _cm.Reset();
    }
}
