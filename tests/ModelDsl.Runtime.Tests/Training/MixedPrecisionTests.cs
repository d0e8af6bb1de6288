using ModelDsl.Data;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static ModelDsl.Runtime.Tests.Training.TrainingTestUtil;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>bfloat16/float16 training without autocast: master weights, loss scaling, the Learner end to end, on the CPU.</summary>
[Collection("Training")]
public class MixedPrecisionTests
{
    [Fact]
    public void The_scaler_halves_on_a_non_finite_step_and_doubles_after_the_growth_interval()
    {
        var s = new DynamicLossScaler(initialScale: 1024, growthInterval: 3);
        s.Update(false); s.Update(false);
        Assert.Equal((1024.0, 2), (s.Scale, s.GrowthTracker));
        s.Update(false);                       // third clean step in a row: grow
        Assert.Equal((2048.0, 0), (s.Scale, s.GrowthTracker));
        s.Update(false); s.Update(true);       // a skip resets the count and backs off
        Assert.Equal((1024.0, 0, 1L), (s.Scale, s.GrowthTracker, s.SkippedSteps));
        s.Update(false); s.Update(false);
        Assert.Equal(1024.0, s.Scale);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DynamicLossScaler(backoffFactor: 1));
    }

    private static Parameter Param(float[] values, ScalarType dtype) => new(tensor(values).to(dtype));

    /// <summary>As a backward would: the first gradient is taken over by the flat buffer, later ones land in its view.</summary>
    private static void SetGrad(Parameter p, Tensor g)
    {
        using var noGrad = no_grad();
        if (p.grad is { } existing) existing.copy_(g);
        else p.grad = g.to(p.dtype);
    }

    [Fact]
    public void Bfloat16_parameters_step_through_float32_masters_exactly_like_float32_parameters()
    {
        var init = new[] { 0.5f, -1.25f, 2f, 0.0625f };
        var low = Param(init, ScalarType.BFloat16);
        var full = Param(init, ScalarType.Float32);   // the values are exact in bfloat16
        using var a = new FusedAdam([low], lr: 0.01);
        using var b = new FusedAdam([full], lr: 0.01);
        Assert.True(a.HasMasterWeights);
        Assert.False(b.HasMasterWeights);
        for (int i = 0; i < 5; i++)
        {
            var g = tensor(new[] { 0.5f, -0.25f, 1f, 2f }).mul(i + 1);     // exact in bfloat16 too
            SetGrad(low, g.to(ScalarType.BFloat16));
            SetGrad(full, g.clone());
            a.step(); b.step();
        }
        var master = a.MasterOf(0)!;
        Assert.Equal(ScalarType.Float32, master.dtype);
        Assert.True(master.allclose(full.detach(), rtol: 0, atol: 1e-7), $"{master.str()} vs {full.str()}");
        Assert.True(Same(low.detach(), master.to(ScalarType.BFloat16)));
    }

    [Fact]
    public void Masters_keep_updates_too_small_for_bfloat16()
    {
        // 1 − 10⁻⁴ rounds back to 1 in bfloat16 (8 significant bits): without masters 100 such steps change nothing.
        var p = Param([1f], ScalarType.BFloat16);
        using var sgd = new FusedSGD([p], lr: 1e-4);
        for (int i = 0; i < 100; i++)
        {
            SetGrad(p, ones(1, ScalarType.BFloat16));
            sgd.step();
        }
        Assert.Equal(0.99f, sgd.MasterOf(0)!.item<float>(), 5);
        Assert.Equal(0.99f, p.detach().to(ScalarType.Float32).item<float>(), 2);
        Assert.Equal(1f, (tensor(1f).to(ScalarType.BFloat16) - 1e-4).to(ScalarType.Float32).item<float>()); // the loss they avoid
    }

    [Fact]
    public void Float16_gradients_are_unscaled_and_a_non_finite_step_changes_nothing()
    {
        var init = new[] { 0.5f, -1.25f, 2f };
        var low = Param(init, ScalarType.Float16);
        var full = Param(init, ScalarType.Float32);
        using var a = new FusedSGD([low], lr: 0.1, momentum: 0.9) { GradientScale = 1024, SkipNonFiniteSteps = true };
        using var b = new FusedSGD([full], lr: 0.1, momentum: 0.9);
        var g = tensor(new[] { 0.25f, -0.5f, 0.125f });
        SetGrad(low, (g * 1024).to(ScalarType.Float16));
        SetGrad(full, g.clone());
        a.step(); b.step();
        Assert.False(a.LastStepSkipped);
        Assert.True(a.MasterOf(0)!.allclose(full.detach(), rtol: 0, atol: 1e-7));

        var masterBefore = a.MasterOf(0)!.clone();
        var paramBefore = low.detach().clone();
        var momentumBefore = a.State[0, 0].clone();
        SetGrad(low, tensor(new[] { 1f, float.PositiveInfinity, 0f }).to(ScalarType.Float16));
        a.step();
        Assert.True(a.LastStepSkipped);
        Assert.True(Same(a.MasterOf(0)!, masterBefore));
        Assert.True(Same(low.detach(), paramBefore));
        Assert.True(Same(a.State[0, 0], momentumBefore));
        Assert.Equal(1, a.StepsOf(0));
    }

    [Fact]
    public void Max_gradient_norm_clips_like_clip_grad_norm()
    {
        var low = Param([0f, 0f, 0f, 0f], ScalarType.BFloat16);
        var full = Param([0f, 0f, 0f, 0f], ScalarType.Float32);
        using var a = new FusedSGD([low], lr: 1) { MaxGradientNorm = 1.5 };
        using var b = new FusedSGD([full], lr: 1);
        var g = tensor(new[] { 3f, -4f, 0f, 0f });                      // norm 5 → clipped to 1.5
        SetGrad(low, g.to(ScalarType.BFloat16));
        SetGrad(full, g.clone());
        nn.utils.clip_grad_norm_([full], 1.5);
        a.step(); b.step();
        Assert.True(a.MasterOf(0)!.allclose(full.detach(), rtol: 0, atol: 1e-6), $"{a.MasterOf(0)!.str()} vs {full.str()}");
    }

    /// <summary>The shared test options (SGD with momentum, accuracy, silent, CPU) in the given precision.</summary>
    private static LearnerOptions Mixed(MixedPrecision precision, DynamicLossScaler? scaler, params ILearnerCallback[] callbacks)
    {
        var o = Options(OptimizerSpec.SGD(momentum: 0.9), callbacks);
        return new LearnerOptions
        {
            Optimizer = o.Optimizer, Metrics = o.Metrics, Callbacks = o.Callbacks, Device = o.Device, Output = o.Output,
            MixedPrecision = precision, LossScaler = scaler,
        };
    }

    /// <summary>TinyNet on the synthetic problem; returns each epoch's train loss and the final validation accuracy.</summary>
    private static (double[] Losses, double Accuracy, Learner Learner) Train(MixedPrecision precision, int epochs, DynamicLossScaler? scaler = null,
        string? checkpoint = null, int? stopAfter = null, TinyNet? model = null)
    {
        Seeding.Everything(5);
        var data = new SyntheticData(512);
        model ??= new TinyNet();
        var callbacks = new List<ILearnerCallback> { new Recorder(stopAfter) };
        if (checkpoint is not null) callbacks.Add(new CheckpointEveryEpoch(checkpoint));
        var learner = new Learner(model, data.Train(batchSize: 32), data.Valid(), Mixed(precision, scaler, callbacks.ToArray()));
        learner.Fit(epochs, 0.05);
        return (learner.History.Select(r => r.TrainLoss).ToArray(), learner.History[^1].Get("accuracy"), learner);
    }

    [Fact]
    public void Bfloat16_training_tracks_float32_within_the_stated_tolerance()
    {
        var (fp32, accFp32, l1) = Train(MixedPrecision.None, 5);
        var (bf16, accBf16, l2) = Train(MixedPrecision.BFloat16, 5);
        using (l1) using (l2)
        {
            var conv = (Conv2d)l2.Model.named_modules().Single(m => m.name.EndsWith("Conv1")).module;
            Assert.Equal(ScalarType.BFloat16, conv.weight!.dtype);
            // Stated tolerance: each epoch's mean train loss within 0.02 + 5 % of float32's, final accuracy within 0.03.
            for (int e = 0; e < fp32.Length; e++)
                Assert.True(Math.Abs(bf16[e] - fp32[e]) <= 0.02 + 0.05 * fp32[e], $"epoch {e}: bf16 {bf16[e]:F4} vs fp32 {fp32[e]:F4}");
            Assert.True(fp32[^1] < fp32[0] * 0.7, "the float32 run should learn");
            Assert.InRange(accBf16, accFp32 - 0.03, accFp32 + 0.03);
        }
    }

    [Fact]
    public void Normalisation_layers_stay_float32_and_the_loss_sees_float32()
    {
        using var model = new BatchNormNet();
        model.ToMixedPrecision(ScalarType.BFloat16);
        var bn = model.named_modules().Select(m => m.module).OfType<BatchNorm2d>().Single();
        Assert.Equal(ScalarType.Float32, bn.weight!.dtype);
        Assert.Equal(ScalarType.Float32, bn.running_mean!.dtype);
        Assert.All(model.named_parameters().Where(p => !p.name.Contains("BatchNorm")), p => Assert.Equal(ScalarType.BFloat16, p.parameter.dtype));

        Seeding.Everything(3);
        using var x = randn(16, 1, 8, 8);
        using var y = randint(0, 3, [16]);
        ScalarType? seen = null;
        var loss = Loss.Custom("probe", (p, t) => { seen = p.dtype; return nn.functional.cross_entropy(p, t); });
        using var learner = new Learner(new BatchNormNet(), new[] { new Batch(x.clone(), y.clone()) }, null,
            new LearnerOptions { Loss = loss, Device = CPU, Output = OutputMode.Silent, MixedPrecision = MixedPrecision.BFloat16 });
        learner.Fit(1, 1e-3);
        Assert.Equal(ScalarType.Float32, seen);
        Assert.IsAssignableFrom<FusedOptimizer>(learner.Optimizer);
    }

    [Fact]
    public void Float16_training_finds_its_loss_scale_and_resumes_bit_identically()
    {
        var dir = TempDir();
        var path = Path.Combine(dir, "fp16.ckpt");
        try
        {
            // 2^20 overflows float16 at the output's gradient: the first steps are skipped until the scale backs off.
            var (straight, _, full) = Train(MixedPrecision.Float16, 4, new DynamicLossScaler(initialScale: 1 << 20, growthInterval: 8));
            using (full)
            {
                Assert.InRange(full.LossScaler!.SkippedSteps, 1, 10);
                Assert.True(full.LossScaler.Scale < 1 << 20);
                Assert.True(straight[^1] < straight[0], $"losses {string.Join(", ", straight)}");

                var (_, _, half) = Train(MixedPrecision.Float16, 4, new DynamicLossScaler(initialScale: 1 << 20, growthInterval: 8), path, stopAfter: 1);
                half.Dispose();
                Seeding.Everything(77);
                using var data = new SyntheticData(512);
                using var model = new TinyNet();
                using var resumed = new Learner(model, data.Train(batchSize: 32), data.Valid(),
                    Mixed(MixedPrecision.Float16, new DynamicLossScaler(initialScale: 1 << 20, growthInterval: 8)));
                resumed.Resume(path);

                Assert.Equal(full.LossScaler.Scale, resumed.LossScaler!.Scale);
                Assert.Equal(full.LossScaler.SkippedSteps, resumed.LossScaler.SkippedSteps);
                Assert.Equal(straight, resumed.History.Select(r => r.TrainLoss).ToArray());
                foreach (var (name, p) in full.Model.named_parameters())
                    Assert.True(Same(p, resumed.Model.get_parameter(name)!), $"{name} differs after resume");
            }
        }
        finally { Directory.Delete(dir, true); }
    }
}
