using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>
/// Per-channel mean and standard deviation of a dataset, streamed batch by batch (never the whole
/// dataset in memory). Accumulates Σx and Σx² per channel in float64, which is accurate enough for
/// pixel data in [0,1] (no catastrophic cancellation at these magnitudes). Std is the population std,
/// as torchvision's recipes compute it. Feed the result to <see cref="Augmentation.Normalize"/>.
/// </summary>
public sealed record ChannelStats(double[] Mean, double[] Std, long PixelsPerChannel)
{
    /// <summary>Statistics of every sample of <paramref name="dataset"/>, read in batches of <paramref name="batchSize"/>.</summary>
    public static ChannelStats Compute(IDataset dataset, int batchSize = 512, int workers = 0) =>
        Compute(new DataLoader(dataset, batchSize, workers: workers));

    /// <summary>Statistics over one epoch of <paramref name="batches"/> (e.g. a DataLoader); each batch is disposed.</summary>
    public static ChannelStats Compute(IEnumerable<Batch> batches)
    {
        double[]? sum = null, sumSq = null;
        long count = 0;
        foreach (var batch in batches)
        {
            using (batch)
            using (var scope = NewDisposeScope())
            {
                var x = batch.Inputs.to_type(ScalarType.Float64);
                long c = x.shape[1];
                sum ??= new double[c];
                sumSq ??= new double[c];
                if (sum.Length != c)
                    throw new InvalidDataException($"Batches have different channel counts: {sum.Length} then {c}.");
                var s = x.sum([0, 2, 3]).cpu().data<double>().ToArray();
                var s2 = x.square().sum([0, 2, 3]).cpu().data<double>().ToArray();
                for (int i = 0; i < c; i++) { sum[i] += s[i]; sumSq[i] += s2[i]; }
                count += x.shape[0] * x.shape[2] * x.shape[3];
            }
        }
        if (sum is null || count == 0) throw new InvalidOperationException("ChannelStats: no data.");
        var mean = sum.Select(v => v / count).ToArray();
        var std = sumSq!.Select((v, i) => Math.Sqrt(Math.Max(0, v / count - mean[i] * mean[i]))).ToArray();
        return new ChannelStats(mean, std, count);
    }
}
