using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static ModelDsl.Runtime.Tests.Training.TrainingTestUtil;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>
/// The flat-buffer optimizers against TorchSharp's own: the same model and data, N steps, parameters
/// equal within float tolerance; frozen/unused parameters skipped; zero-grad; state round trips.
/// </summary>
[Collection("Training")]
public class FusedOptimizerTests
{
    private const int Steps = 6;

    /// <summary>Two "stages" (features, head) plus a parameter that only joins the loss from step 3 on.</summary>
    private sealed class Net : nn.Module<Tensor, Tensor>
    {
        public readonly Sequential features, head;
        public readonly Parameter late;
        public int StepNumber;

        public Net(long seed) : base("FusedTestNet")
        {
            manual_seed(seed);
            features = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU());
            head = nn.Sequential(nn.Flatten(), nn.Linear(4 * 4 * 4, 5));
            late = new Parameter(randn(5));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var y = head.forward(features.forward(x));
            return StepNumber >= 3 ? y + late : y;
        }
    }

    private static (Tensor X, Tensor Y) Data(int step)
    {
        using var g = new Generator((ulong)(100 + step));
        return (randn(new long[] { 8, 3, 6, 6 }, generator: g), randint(0, 5, new long[] { 8 }, generator: g));
    }

    private static IReadOnlyList<IReadOnlyList<Parameter>> Groups(Net n) => new IReadOnlyList<Parameter>[]
    {
        n.features.parameters().ToList(),
        n.head.parameters().Append(n.late).ToList(),
    };

    private static List<Tensor> Train(Net net, OptimizerHelper opt, int from = 0, int to = Steps)
    {
        for (int s = from; s < to; s++)
        {
            using var scope = NewDisposeScope();
            net.StepNumber = s;
            var (x, y) = Data(s);
            opt.zero_grad();
            var loss = nn.functional.cross_entropy(net.forward(x), y);
            loss.backward();
            opt.step();
        }
        return net.parameters().Select(p => p.detach().clone()).ToList();
    }

    private static void AssertClose(List<Tensor> expected, List<Tensor> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            double diff = (expected[i] - actual[i]).abs().max().item<float>();
            double scale = expected[i].abs().max().item<float>();
            Assert.True(diff <= 1e-6 * Math.Max(scale, 1e-3), $"parameter {i}: max |Δ| {diff:G3} (max |p| {scale:G3})");
        }
    }

    public static TheoryData<string> Kinds() => new()
    {
        "sgd", "sgd-momentum", "sgd-nesterov-wd", "adam", "adam-wd", "adamw", "adamw-2lr", "sgd-2lr", "adam-2lr",
    };

    private static (OptimizerHelper Reference, OptimizerHelper Fused) Build(string kind, Net a, Net b) =>
        (Build(kind, a, fused: false), Build(kind, b, fused: true));

    private static OptimizerHelper Build(string kind, Net net, bool fused)
    {
        var ga = Groups(net);
        var gb = ga;
        bool twoLr = kind.EndsWith("-2lr", StringComparison.Ordinal);
        double Lr(int g, double lr) => twoLr && g == 1 ? lr * 5 : lr;
        switch (kind.Replace("-2lr", ""))
        {
            case "sgd":
                return fused
                    ? new FusedSGD(gb.Select((g, i) => FusedSGD.Group(g, Lr(i, 0.05))))
                    : optim.SGD(ga.Select((g, i) => new SGD.ParamGroup(g, Lr(i, 0.05), 0, 0, 0, false, false)), 0.05);
            case "sgd-momentum":
                return fused
                    ? new FusedSGD(gb.Select((g, i) => FusedSGD.Group(g, Lr(i, 0.05), 0.9)))
                    : optim.SGD(ga.Select((g, i) => new SGD.ParamGroup(g, Lr(i, 0.05), 0.9, 0, 0, false, false)), 0.05);
            case "sgd-nesterov-wd":
                return fused
                    ? new FusedSGD(gb.Select((g, i) => FusedSGD.Group(g, Lr(i, 0.05), 0.9, true, 1e-2)))
                    : optim.SGD(ga.Select((g, i) => new SGD.ParamGroup(g, Lr(i, 0.05), 0.9, 0, 1e-2, true, false)), 0.05);
            case "adam":
                return fused
                    ? new FusedAdam(gb.Select((g, i) => FusedAdam.Group(g, Lr(i, 1e-2))))
                    : optim.Adam(ga.Select((g, i) => new Adam.ParamGroup(g, Lr(i, 1e-2), 0.9, 0.999, 1e-8, 0, false, false)), 1e-2);
            case "adam-wd":
                return fused
                    ? new FusedAdam(gb.Select((g, i) => FusedAdam.Group(g, Lr(i, 1e-2), 0.8, 0.99, 1e-6, 0.05)))
                    : optim.Adam(ga.Select((g, i) => new Adam.ParamGroup(g, Lr(i, 1e-2), 0.8, 0.99, 1e-6, 0.05, false, false)), 1e-2);
            case "adamw":
                return fused
                    ? new FusedAdamW(gb.Select((g, i) => FusedAdamW.Group(g, Lr(i, 1e-2), 0.9, 0.99, 1e-5, 0.1)))
                    : optim.AdamW(ga.Select((g, i) => new AdamW.ParamGroup(g, Lr(i, 1e-2), 0.9, 0.99, 1e-5, 0.1, false, false)), 1e-2);
            default: throw new ArgumentException(kind);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Matches_TorchSharp_optimizer_after_several_steps(string kind)
    {
        using var scope = NewDisposeScope();
        using var a = new Net(1);
        using var b = new Net(1);
        // A parameter frozen from the start never gets a gradient: both optimizers must leave it alone
        // (with weight decay or momentum an optimizer that did not skip it would move it).
        a.features.parameters().Last().requires_grad = false;
        b.features.parameters().Last().requires_grad = false;
        var frozenBefore = b.features.parameters().Last().detach().clone();
        var (reference, fused) = Build(kind, a, b);
        using (reference)
        using (fused)
        {
            var expected = Train(a, reference);
            var actual = Train(b, fused);
            AssertClose(expected, actual);
            Assert.True(Same(frozenBefore, b.features.parameters().Last()));
            // The late parameter joined at step 3: its own step count (bias corrections) starts there.
            var f = (FusedOptimizer)fused;
            var lateSlot = f.Flat.Slots.Single(s => ReferenceEquals(s.Parameter, b.late)).Index;
            Assert.Equal(Steps - 3, f.StepsOf(lateSlot));
        }
    }

    [Fact]
    public void Parameters_and_gradients_are_views_of_the_flat_buffers_and_zero_grad_is_one_fill()
    {
        using var scope = NewDisposeScope();
        using var net = new Net(2);
        using var opt = new FusedAdamW(net.parameters(), lr: 1e-3);
        Assert.Single(opt.Flat.Data);
        Assert.Equal(net.parameters().Sum(p => p.numel()), opt.Flat.NumberOfElements);

        // Writing the flat buffer moves the module's parameters.
        using (no_grad()) opt.Flat.Data[0].fill_(0.5f);
        Assert.All(net.parameters(), p => Assert.Equal(0.5f, p.max().item<float>()));

        var (x, y) = Data(0);
        nn.functional.cross_entropy(net.forward(x), y).backward();
        opt.step(); // binds the gradients
        var flatGrad = opt.Flat.Grad[0];
        Assert.True(flatGrad.abs().sum().item<float>() > 0);
        // Backward accumulates into the flat gradient buffer in place.
        double before = flatGrad.abs().sum().item<float>();
        nn.functional.cross_entropy(net.forward(x), y).backward();
        Assert.NotEqual(before, flatGrad.abs().sum().item<float>(), 3);
        opt.zero_grad();
        Assert.Equal(0f, flatGrad.abs().sum().item<float>());
        Assert.All(net.features.parameters().Concat(net.head.parameters()), p => Assert.Equal(0f, p.grad!.abs().sum().item<float>()));
        // Gradients after zero_grad + backward equal a fresh backward's.
        nn.functional.cross_entropy(net.forward(x), y).backward();
        using var fresh = new Net(2);
        using (no_grad()) foreach (var (p, q) in fresh.parameters().Zip(net.parameters())) p.copy_(q);
        nn.functional.cross_entropy(fresh.forward(x), y).backward();
        foreach (var (p, q) in fresh.features.parameters().Zip(net.features.parameters()))
            Assert.True(p.grad!.allclose(q.grad!, 1e-6, 1e-7));
    }

    [Theory]
    [InlineData("sgd-nesterov-wd-2lr")]
    [InlineData("adamw-2lr")]
    public void Save_load_continue_equals_uninterrupted(string kind)
    {
        using var scope = NewDisposeScope();
        using var a = new Net(3);
        using var b = new Net(3);
        var straightOpt = Build(kind, a, fused: true);
        List<Tensor> straight;
        using (straightOpt) straight = Train(a, straightOpt);

        var firstOpt = Build(kind, b, fused: true);
        using var ms = new MemoryStream();
        using (firstOpt)
        {
            Train(b, firstOpt, 0, 4);
            using var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true);
            firstOpt.save_state_dict(w);
        }
        // A fresh model with b's weights and a fresh optimizer, restored from the stream.
        using var c = new Net(99);
        using (no_grad()) foreach (var (p, q) in c.parameters().Zip(b.parameters())) p.copy_(q);
        var resumedOpt = Build(kind, c, fused: true);
        using (resumedOpt)
        {
            ms.Position = 0;
            using (var r = new BinaryReader(ms)) resumedOpt.load_state_dict(r);
            var resumed = Train(c, resumedOpt, 4, Steps);
            for (int i = 0; i < straight.Count; i++) Assert.True(Same(straight[i], resumed[i]), $"parameter {i} differs after resume");
        }
    }

    [Theory]
    [InlineData("adamw")]
    public void Learner_with_fused_optimizer_trains_like_the_TorchSharp_one_and_resumes_exactly(string which)
    {
        OptimizerSpec Spec(bool fused) => which == "sgd"
            ? OptimizerSpec.SGD(momentum: 0.9, nesterov: true, weightDecay: 1e-3, fused: fused)
            : OptimizerSpec.AdamW(fused: fused);
        (List<double>, History) Run(bool fused, string? checkpoint = null, int? stopAfter = null)
        {
            Seeding.Everything(11);
            using var data = new SyntheticData(96);
            using var model = new TinyNet();
            var rec = new Recorder(stopAfter);
            var callbacks = checkpoint is null ? new ILearnerCallback[] { rec } : new ILearnerCallback[] { rec, new CheckpointEveryEpoch(checkpoint) };
            using var learner = new Learner(model, data.Train(batchSize: 16), data.Valid(), Options(Spec(fused), callbacks));
            learner.SetStageLearningRate("Head", 0.02);
            if (fused) Assert.IsAssignableFrom<FusedOptimizer>(learner.Optimizer);
            learner.FitOneCycle(2, 0.05);
            return (rec.Losses, learner.History);
        }

        var (reference, _) = Run(fused: false);
        var (straight, _) = Run(fused: true);
        Assert.Equal(reference.Count, straight.Count);
        for (int i = 0; i < reference.Count; i++)
            Assert.True(Math.Abs(reference[i] - straight[i]) <= 1e-5 * Math.Max(1, Math.Abs(reference[i])), $"batch {i}: {reference[i]:R} vs {straight[i]:R}");

        var dir = TempDir();
        try
        {
            var path = Path.Combine(dir, "fused.ckpt");
            var (firstHalf, _) = Run(fused: true, path, stopAfter: 0);
            Seeding.Everything(999);
            using var data = new SyntheticData(96);
            using var model = new TinyNet();
            var rec = new Recorder();
            using var learner = new Learner(model, data.Train(batchSize: 16), data.Valid(), Options(Spec(true), rec));
            learner.Resume(path);
            var combined = firstHalf.Concat(rec.Losses).ToList();
            Assert.Equal(straight.Count, combined.Count);
            for (int i = 0; i < straight.Count; i++)
                Assert.True(BitConverter.DoubleToInt64Bits(straight[i]) == BitConverter.DoubleToInt64Bits(combined[i]), $"batch {i}: {straight[i]:R} vs {combined[i]:R}");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void The_flat_buffer_of_a_generated_model_holds_its_compile_time_ParameterCount_and_no_buffers()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var model = new BatchNormNet();
        var groups = model.named_children().Select(c => c.module.parameters().ToList()).Where(g => g.Count > 0).ToList();
        Assert.Equal(2, groups.Count);
        var runningMean = model.buffers().First();
        var meanBefore = runningMean.clone();
        using var opt = new FusedAdam(groups.Select(g => FusedAdam.Group(g, 1e-2)));
        Assert.Equal(BatchNormNet.ParameterCount, opt.Flat.NumberOfElements);
        Assert.Equal(BatchNormNet.ParameterCount, model.parameters().Sum(p => p.numel()));

        var before = opt.Flat.Data[0].clone();
        var x = randn(6, 1, 8, 8);
        var y = tensor(new long[] { 0, 1, 2, 0, 1, 2 });
        var output = model.forward(x);
        Assert.Equal(new long[] { 6, 3 }, output.shape);
        nn.functional.cross_entropy(output, y).backward();
        opt.step();
        // Every parameter moved (Adam's first step moves each element by about lr), through the flat buffer.
        Assert.True((opt.Flat.Data[0] - before).abs().min().item<float>() > 1e-3f);
        // BatchNorm's running statistics are buffers: updated by the forward pass, not laid out or stepped.
        Assert.False(runningMean.allclose(meanBefore));
        Assert.True(runningMean.is_contiguous());
    }

    [Fact]
    public void A_parameter_listed_twice_is_rejected()
    {
        using var p = new Parameter(zeros(3));
        Assert.Throws<ArgumentException>(() => new FusedAdam(new[] { FusedAdam.Group(new[] { p }), FusedAdam.Group(new[] { p }) }));
    }
}
