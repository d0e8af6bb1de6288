using System.Collections;
using ModelDsl.Data;
using ModelDsl.Metrics;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

// Training tests share torch's global generator (the resume test depends on it), so they run alone.
[CollectionDefinition("Training", DisableParallelization = true)]
public sealed class TrainingCollection;

/// <summary>A tiny DSL model with two stages, small enough to train in milliseconds.</summary>
[Model(Channels = 1, Height = 4, Width = 4)]
[Stage("Features")]
[Conv2d(4, 3, Padding = 1), ReLU, Flatten]
[Stage("Head")]
[Dropout(0.2), Linear(2)]
public partial class TinyNet;

/// <summary>Stages with a BatchNorm (buffers that are not parameters): for the fused optimizer's flat layout.</summary>
[Model(Channels = 1, Height = 8, Width = 8)]
[Stage("Features")]
[Conv2d(4, 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2), Flatten]
[Stage("Head")]
[Linear(3)]
public partial class BatchNormNet;

/// <summary>Same stages, different head width: for the checkpoint-mismatch test.</summary>
[Model(Channels = 1, Height = 4, Width = 4)]
[Stage("Features")]
[Conv2d(4, 3, Padding = 1), ReLU, Flatten]
[Stage("Head")]
[Linear(3)]
public partial class TinyNet3;

/// <summary>
/// An in-memory loader over fixed tensors. Shuffles with torch.randperm on the global generator, so
/// restoring the RNG state is what makes a resumed run draw the same orders. Each batch is a fresh
/// tensor pair that the receiver owns, as the loader contract says.
/// </summary>
internal sealed class TensorLoader(Tensor inputs, Tensor targets, int batchSize, bool shuffle) : IReadOnlyCollection<Batch>
{
    public int Count => (int)((inputs.shape[0] + batchSize - 1) / batchSize);

    public IEnumerator<Batch> GetEnumerator()
    {
        long n = inputs.shape[0];
        using var order = shuffle ? randperm(n) : arange(n);
        for (long start = 0; start < n; start += batchSize)
        {
            using var idx = order.narrow(0, start, Math.Min(batchSize, n - start));
            yield return new Batch(inputs.index_select(0, idx), targets.index_select(0, idx));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A separable synthetic problem: class 1 when the top half of a 4×4 image is brighter than the bottom half.</summary>
internal sealed class SyntheticData : IDisposable
{
    public SyntheticData(int samples = 256, long seed = 7)
    {
        using var g = new Generator((ulong)seed, CPU);
        X = randn(new long[] { samples, 1, 4, 4 }, generator: g);
        using (var top = X.narrow(2, 0, 2).sum(new long[] { 1, 2, 3 }))
        using (var bottom = X.narrow(2, 2, 2).sum(new long[] { 1, 2, 3 }))
            Y = top.gt(bottom).to_type(ScalarType.Int64);
    }

    public Tensor X { get; }
    public Tensor Y { get; }

    public TensorLoader Train(int batchSize = 32) => new(X, Y, batchSize, shuffle: true);
    public TensorLoader Valid(int batchSize = 64) => new(X, Y, batchSize, shuffle: false);

    public void Dispose()
    {
        X.Dispose();
        Y.Dispose();
    }
}

/// <summary>Plain accuracy, standing in for the metrics engineer's implementation.</summary>
internal sealed class TestAccuracy : IMetric
{
    private long _correct, _total;
    public string Name => "accuracy";

    public void Update(Tensor predictions, Tensor targets)
    {
        using var scope = NewDisposeScope();
        _correct += predictions.argmax(1).eq(targets).sum().ToInt64();
        _total += targets.shape[0];
    }

    public double Compute() => _total == 0 ? double.NaN : (double)_correct / _total;
    public void Reset() => _correct = _total = 0;
}

/// <summary>Records every batch's loss and learning rate, and can stop the fit after a given epoch.</summary>
internal sealed class Recorder(int? stopAfterEpoch = null) : ILearnerCallback
{
    public List<double> Losses { get; } = new();
    public List<double> Lrs { get; } = new();

    public void OnBatchEnd(Learner learner, BatchInfo batch)
    {
        Losses.Add(batch.Loss);
        Lrs.Add(batch.LearningRate);
    }

    public void OnEpochEnd(Learner learner, EpochRecord record)
    {
        if (record.Epoch == stopAfterEpoch) learner.Stop("test stop");
    }
}

internal static class TrainingTestUtil
{
    public static LearnerOptions Options(OptimizerSpec? optimizer = null, params ILearnerCallback[] callbacks) => new()
    {
        Optimizer = optimizer ?? OptimizerSpec.SGD(momentum: 0.9, weightDecay: 1e-4),
        Metrics = new List<IMetric> { new TestAccuracy() },
        Callbacks = callbacks.ToList(),
        Device = CPU,
        Output = OutputMode.Silent,
    };

    /// <summary>Clones of the state_dict, detached from any dispose scope (callbacks run inside the step's scope).</summary>
    public static Dictionary<string, Tensor> Snapshot(nn.Module m) =>
        m.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());

    /// <summary>Exact (bitwise for floats) equality of shape and values.</summary>
    public static bool Same(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape)) return false;
        using var eq = a.eq(b);
        using var all = eq.all();
        return all.item<bool>();
    }

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "mdsl-train-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(d);
        return d;
    }
}

/// <summary>No [Stage]: every top-level layer is its own group (the course's MnistNet shape, smaller).</summary>
[Model(Channels = 1, Height = 4, Width = 4)]
[Conv2d(2, 3, Padding = 1), ReLU, Flatten, Linear(2)]
public partial class StagelessNet;
