using ModelDsl.Metrics;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static ModelDsl.Runtime.Tests.Training.TrainingTestUtil;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>The output record of <see cref="TwoHeadNet"/>, shaped like a generated <c>{Model}Output</c>.</summary>
internal readonly record struct TwoHeadOutput(Tensor Classes, Tensor Value) : IModelOutput
{
    public IReadOnlyList<Tensor> Heads => [Classes, Value];
    public IReadOnlyList<string> HeadNames => ["Classes", "Value"];
}

/// <summary>
/// A hand-written two-head module (so these tests do not wait on the generator): a shared trunk over a 4×4 image,
/// a 2-way class head and a 1-unit regression head, as two stages of their own.
/// </summary>
internal sealed class TwoHeadNet : nn.Module<Tensor, TwoHeadOutput>
{
    private readonly Linear Trunk = nn.Linear(16, 16);
    private readonly Linear ClassHead = nn.Linear(16, 2);
    private readonly Linear ValueHead = nn.Linear(16, 1);

    public TwoHeadNet() : base(nameof(TwoHeadNet)) => RegisterComponents();

    public override TwoHeadOutput forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.relu(Trunk.forward(x.flatten(1)));
        var classes = ClassHead.forward(h).MoveToOuterDisposeScope();
        return new TwoHeadOutput(classes, ValueHead.forward(h).MoveToOuterDisposeScope());
    }
}

/// <summary>Learner.ForHeads: a model whose forward returns several heads, trained against a loss that takes them all.</summary>
[Collection("Training")]
public sealed class MultiHeadLearnerTests
{
    /// <summary>Targets N×2: column 0 the class (top half brighter), column 1 the regression value ((top − bottom sum) / 4, about unit variance).</summary>
    private static (Tensor X, Tensor Targets) Data(int n = 256, long seed = 7)
    {
        using var data = new SyntheticData(n, seed);
        using var scope = NewDisposeScope();
        var diff = data.X.narrow(2, 0, 2).sum([1, 2, 3]) - data.X.narrow(2, 2, 2).sum([1, 2, 3]);
        var targets = stack([data.Y.to(ScalarType.Float32), diff / 4], 1);
        return (data.X.clone().MoveToOuterDisposeScope(), targets.MoveToOuterDisposeScope());
    }

    /// <summary>Cross-entropy on the class head plus MSE on the value head; records the heads' dtypes it saw.</summary>
    private static Loss TwoHeadLoss(List<ScalarType>? dtypes = null) => Loss.ForHeads("ce+mse", (output, t) =>
    {
        dtypes?.AddRange(output.Heads.Select(h => h.dtype));
        var ce = nn.functional.cross_entropy(output.Head("Classes"), t[.., 0].to(ScalarType.Int64));
        return ce + nn.functional.mse_loss(output.Head("Value").squeeze(1), t[.., 1]);
    });

    private static LearnerOptions HeadOptions(Loss loss, params IMetric[] metrics)
    {
        var o = new LearnerOptions { Loss = loss, Device = CPU, Output = OutputMode.Silent, Seed = 3, Optimizer = OptimizerSpec.Adam() };
        foreach (var m in metrics) o.Metrics.Add(m);
        return o;
    }

    private static (double Ce, double Mse) HeadLosses(Learner learner, Tensor x, Tensor t)
    {
        using var scope = NewDisposeScope();
        var o = learner.PredictHeads<TwoHeadOutput>(x);
        return (nn.functional.cross_entropy(o.Classes, t[.., 0].to(ScalarType.Int64)).ToDouble(),
                nn.functional.mse_loss(o.Value.squeeze(1), t[.., 1]).ToDouble());
    }

    [Fact]
    public void Fit_trains_both_heads_and_metrics_see_the_heads_concatenated()
    {
        var (x, t) = Data();
        using var _x = x; using var _t = t;
        Seeding.Everything(3);
        using var model = new TwoHeadNet();
        var shapes = new ShapeRecorder();
        var batches = new BatchCounter();
        using var learner = Learner.ForHeads(model, new TensorLoader(x, t, 32, shuffle: true), new TensorLoader(x, t, 64, shuffle: false),
                                             HeadOptions(TwoHeadLoss(), shapes));
        learner.AddCallback(batches);
        Assert.Equal(["ClassHead", "Trunk", "ValueHead"], learner.StageNames.Order());
        var (ce0, mse0) = HeadLosses(learner, x, t);

        var history = learner.FitOneCycle(10, 1e-2);

        var (ce, mse) = HeadLosses(learner, x, t);
        Assert.True(ce < 0.5 * ce0, $"class head: cross-entropy {ce0:F4} → {ce:F4}");
        Assert.True(mse < 0.3 * mse0, $"value head: MSE {mse0:F4} → {mse:F4}");
        Assert.True(history[^1].TrainLoss < history[0].TrainLoss);
        Assert.Equal(10 * 8, batches.Count);
        // Validation computes the loss the same way: the last valid loss is the two heads' losses now.
        Assert.Equal(ce + mse, history[^1].ValidLoss, 4);
        Assert.All(shapes.Shapes, s => Assert.Equal([64L, 3], s));
        using var predicted = learner.Predict(x);
        using var heads = learner.PredictHeads<TwoHeadOutput>(x).Classes;
        Assert.Equal([256L, 3], predicted.shape);
        Assert.True(Same(heads, predicted[.., 0..2]));
        Assert.Throws<InvalidOperationException>(() => learner.Model);
        Assert.Same(model, learner.Module);
    }

    /// <summary>Three epochs straight, or stopped after the first with a checkpoint per epoch; the history either way.</summary>
    private static History Run(Tensor x, Tensor t, string? checkpoint, bool stopAfterFirst)
    {
        Seeding.Everything(5);
        using var model = new TwoHeadNet();
        var options = HeadOptions(TwoHeadLoss());
        if (checkpoint is not null) options.Callbacks.Add(new CheckpointEveryEpoch(checkpoint));
        if (stopAfterFirst) options.Callbacks.Add(new StopAfterFirstEpoch());
        using var learner = Learner.ForHeads(model, new TensorLoader(x, t, 32, shuffle: true), new TensorLoader(x, t, 64, shuffle: false), options);
        learner.FitOneCycle(3, 1e-2);
        return learner.History;
    }

    [Fact]
    public void Resuming_a_checkpoint_of_a_two_head_fit_equals_the_uninterrupted_fit()
    {
        var (x, t) = Data(128);
        using var _x = x; using var _t = t;
        string dir = Directory.CreateTempSubdirectory("heads-ckpt-").FullName, path = Path.Combine(dir, "ck.bin");
        try
        {
            var straight = Run(x, t, null, false);
            Assert.Single(Run(x, t, path, stopAfterFirst: true));

            Seeding.Everything(99);
            using var model = new TwoHeadNet();
            using var learner = Learner.ForHeads(model, new TensorLoader(x, t, 32, shuffle: true), new TensorLoader(x, t, 64, shuffle: false), HeadOptions(TwoHeadLoss()));
            var resumed = learner.Resume(path);

            Assert.Equal(3, resumed.Count);
            for (int e = 0; e < 3; e++)
                Assert.Equal((straight[e].TrainLoss, straight[e].ValidLoss), (resumed[e].TrainLoss, resumed[e].ValidLoss));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void LrFind_and_bfloat16_mixed_precision_work_on_heads()
    {
        var (x, t) = Data(128);
        using var _x = x; using var _t = t;
        Seeding.Everything(8);
        using var model = new TwoHeadNet();
        using var learner = Learner.ForHeads(model, new TensorLoader(x, t, 16, shuffle: true), null, HeadOptions(TwoHeadLoss()));
        var before = Snapshot(model);
        var r = learner.LrFind(1e-5, 1, iterations: 30);
        Assert.True(r.Losses.Min() < r.Losses[0]);
        foreach (var (k, v) in before) Assert.True(Same(v, model.state_dict()[k]), $"{k} not restored");
        foreach (var v in before.Values) v.Dispose();

        var dtypes = new List<ScalarType>();
        using var low = new TwoHeadNet();
        using var mixed = Learner.ForHeads(low, new TensorLoader(x, t, 32, shuffle: true), null,
            new LearnerOptions { Loss = TwoHeadLoss(dtypes), Device = CPU, Output = OutputMode.Silent, MixedPrecision = MixedPrecision.BFloat16 });
        var h = mixed.Fit(3, 1e-2);
        Assert.True(double.IsFinite(h[^1].TrainLoss) && h[^1].TrainLoss < h[0].TrainLoss);
        Assert.Equal(ScalarType.BFloat16, low.parameters().First().dtype);
        // The model computes in bfloat16; the loss gets float32 heads, as a single-tensor loss gets a float32 output.
        Assert.NotEmpty(dtypes);
        Assert.All(dtypes, d => Assert.Equal(ScalarType.Float32, d));
    }

    [Fact]
    public void A_loss_of_the_wrong_kind_is_refused_with_both_names()
    {
        var (x, t) = Data(32);
        using var _x = x; using var _t = t;
        using var model = new TwoHeadNet();
        var e = Assert.Throws<ArgumentException>(() => Learner.ForHeads(model, new TensorLoader(x, t, 32, false), null, HeadOptions(Loss.MSE())));
        Assert.Contains("TwoHeadOutput", e.Message);
        Assert.Contains("Loss.ForHeads", e.Message);

        using var single = new TinyNet();
        using var learner = new Learner(single, new TensorLoader(x, t, 32, false), null, HeadOptions(TwoHeadLoss()));
        var e2 = Assert.Throws<ArgumentException>(() => learner.Fit(1, 1e-3));
        Assert.Contains("ce+mse", e2.Message);
        Assert.Contains("Learner.ForHeads", e2.Message);

        using var a = ones(2, 3); using var b = ones(2, 3, 4);
        var e3 = Assert.Throws<ArgumentException>(() => ModelOutputs.Concatenated(new TwoHeadOutput(a, b)));
        Assert.Contains("Classes [2, 3], Value [2, 3, 4]", e3.Message);
        Assert.Contains("no head 'Boxes'", Assert.Throws<ArgumentException>(() => new TwoHeadOutput(a, a).Head("Boxes")).Message);
    }

    /// <summary>Records the shape of every prediction tensor a metric is given.</summary>
    private sealed class ShapeRecorder : IMetric
    {
        public List<long[]> Shapes { get; } = [];
        public string Name => "shape";
        public void Update(Tensor predictions, Tensor targets) => Shapes.Add(predictions.shape);
        public double Compute() => Shapes.Count;
        public void Reset() => Shapes.Clear();
    }

    private sealed class StopAfterFirstEpoch : ILearnerCallback
    {
        public void OnEpochEnd(Learner learner, EpochRecord record) => learner.Stop("test: stop after the first epoch");
    }

    private sealed class BatchCounter : ILearnerCallback
    {
        public int Count { get; private set; }
        public void OnBatchEnd(Learner learner, BatchInfo batch) => Count++;
    }
}
