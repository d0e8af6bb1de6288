using ModelDsl.Metrics;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Metrics;

/// <summary>
/// Random data (seeded) against naive reference implementations written from the definitions: AUROC as the
/// Mann–Whitney pair count (ties ½), precision/recall/F1 from explicit loops over samples, streamed in
/// uneven batches.
/// </summary>
public class ReferenceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Auroc_equals_pairwise_probability_with_many_ties(int seed)
    {
        var rng = new Random(seed);
        int n = 150;
        // Scores rounded to one decimal → lots of ties.
        var scores = Enumerable.Range(0, n).Select(_ => Math.Round(rng.NextDouble(), 1)).ToArray();
        var y = scores.Select(s => rng.NextDouble() < 0.3 + 0.5 * s).ToArray();
        double pairs = 0, wins = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (y[i] && !y[j]) { pairs++; wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0; }

        using var auc = new Auroc(fromLogits: false);
        var st = tensor(scores.Select(v => (float)v).ToArray());
        var yt = tensor(y.Select(b => b ? 1L : 0L).ToArray());
        auc.Update(st[0..40], yt[0..40]);
        auc.Update(st[40..41], yt[40..41]);
        auc.Update(st[41..], yt[41..]);
        Assert.Equal(wins / pairs, auc.Compute(), 9);
    }

    [Theory]
    [InlineData(7, 4)]
    [InlineData(8, 6)]
    public void Precision_recall_f1_match_loops(int seed, int c)
    {
        using var g = new torch.Generator((ulong)seed);
        int n = 97;
        var logits = randn(new long[] { n, c }, generator: g);
        var targets = randint(0, c, new long[] { n }, generator: g);
        var pred = logits.argmax(1).data<long>().ToArray();
        var t = targets.data<long>().ToArray();

        double[] tp = new double[c], fp = new double[c], fn = new double[c], sup = new double[c];
        for (int i = 0; i < n; i++)
        {
            sup[t[i]]++;
            if (pred[i] == t[i]) tp[t[i]]++; else { fp[pred[i]]++; fn[t[i]]++; }
        }
        double D(double a, double b) => b == 0 ? 0 : a / b;
        var p = Enumerable.Range(0, c).Select(k => D(tp[k], tp[k] + fp[k])).ToArray();
        var r = Enumerable.Range(0, c).Select(k => D(tp[k], tp[k] + fn[k])).ToArray();
        var f = Enumerable.Range(0, c).Select(k => D(2 * p[k] * r[k], p[k] + r[k])).ToArray(); // harmonic mean form
        var present = Enumerable.Range(0, c).Where(k => tp[k] + fp[k] + fn[k] > 0).ToArray();

        var metrics = new (ClassificationMetric M, double Expected)[]
        {
            (new Precision(c, Average.Macro), present.Average(k => p[k])),
            (new Recall(c, Average.Macro), present.Average(k => r[k])),
            (new F1Score(c, Average.Macro), present.Average(k => f[k])),
            (new Precision(c, Average.Weighted), Enumerable.Range(0, c).Sum(k => sup[k] * p[k]) / n),
            (new F1Score(c, Average.Weighted), Enumerable.Range(0, c).Sum(k => sup[k] * f[k]) / n),
            (new F1Score(c, Average.Micro), tp.Sum() / n),
            (new BalancedErrorRate(c), 1 - Enumerable.Range(0, c).Where(k => sup[k] > 0).Average(k => r[k])),
        };
        foreach (var (m, expected) in metrics)
        {
            m.Update(logits[0..10], targets[0..10]);
            m.Update(logits[10..60], targets[10..60]);
            m.Update(logits[60..], targets[60..]);
            Assert.Equal(expected, m.Compute(), 9);
            m.Dispose();
        }
    }
}
