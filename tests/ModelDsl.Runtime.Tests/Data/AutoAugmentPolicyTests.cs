using ModelDsl.Augmentation;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>
/// AutoAugment, RandAugment, TrivialAugmentWide and AugMix as transforms: shape and range, seeding, resuming from a saved
/// random state, how many samples each changes over a large batch, and their argument checks.
/// </summary>
public class AutoAugmentPolicyTests
{
    public static TheoryData<string> Policies => ["AutoAugment.ImageNet", "AutoAugment.Cifar10", "AutoAugment.Svhn", "RandAugment", "TrivialAugmentWide", "AugMix", "AugMix.Depth2.Basic"];

    private static RandomAugmentation Make(string name, long seed) => name switch
    {
        "AutoAugment.ImageNet" => new AutoAugment(AutoAugmentPolicy.ImageNet, seed),
        "AutoAugment.Cifar10" => new AutoAugment(AutoAugmentPolicy.Cifar10, seed),
        "AutoAugment.Svhn" => new AutoAugment(AutoAugmentPolicy.Svhn, seed),
        "RandAugment" => new RandAugment(seed: seed),
        "TrivialAugmentWide" => new TrivialAugmentWide(seed: seed),
        "AugMix" => new AugMix(seed: seed),
        "AugMix.Depth2.Basic" => new AugMix(severity: 5, mixtureWidth: 2, chainDepth: 2, alpha: 0.5, allOps: false, seed: seed),
        _ => throw new ArgumentException(name),
    };

    private static Tensor Batch(long n, long channels = 3) => rand([n, channels, 16, 20], generator: new TorchSharp.torch.Generator(11));

    [Theory]
    [MemberData(nameof(Policies))]
    public void Output_keeps_shape_and_range_and_the_seed_decides(string policy)
    {
        using var scope = NewDisposeScope();
        foreach (long channels in new long[] { 3, 1 })
        {
            var x = Batch(32, channels);
            using var a = Make(policy, 1);
            using var b = Make(policy, 1);
            using var c = Make(policy, 2);
            var ya = a.Apply(x);
            Assert.Equal(x.shape, ya.shape);
            Assert.Equal(x.dtype, ya.dtype);
            Assert.True(ya.min().item<float>() >= 0 && ya.max().item<float>() <= 1 + 1e-6, $"{policy}: out of [0, 1]");
            Assert.True(ya.eq(b.Apply(x)).all().item<bool>(), $"{policy}: same seed, other output");
            Assert.False(ya.eq(c.Apply(x)).all().item<bool>(), $"{policy}: other seed, same output");
            Assert.False(ya.eq(a.Apply(x)).all().item<bool>(), $"{policy}: the second call drew the same");
            Assert.True(x.eq(Batch(32, channels)).all().item<bool>(), $"{policy}: the input changed");
        }
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_saved_random_state_resumes_the_same_draws(string policy)
    {
        using var scope = NewDisposeScope();
        var x = Batch(16);
        using var augmentation = Make(policy, 3);
        augmentation.Apply(x);
        var state = augmentation.SaveRandomState();
        var next = augmentation.Apply(x);
        using var resumed = Make(policy, 99);
        resumed.LoadRandomState(state);
        Assert.True(next.eq(resumed.Apply(x)).all().item<bool>());
    }

    [Theory]
    [InlineData("TrivialAugmentWide", 0.75, 0.97)]     // identity 1/14, and a zero-magnitude bin 1/31 of the time
    [InlineData("RandAugment", 0.85, 1.0)]             // two ops at bin 9: only identity twice (or ~nothing) leaves a sample
    [InlineData("AutoAugment.ImageNet", 0.6, 0.99)]    // each step applies with its probability (0 to 1)
    [InlineData("AugMix", 0.99, 1.0)]                  // a mixture: all but never equal to the input
    public void Over_a_large_batch_each_policy_changes_the_expected_share_of_samples(string policy, double low, double high)
    {
        using var scope = NewDisposeScope();
        var x = rand([512, 3, 16, 20], generator: new TorchSharp.torch.Generator(12));
        using var augmentation = Make(policy, 4);
        var y = augmentation.Apply(x);
        double changed = (y - x).abs().flatten(1).amax(1).gt(1e-6f).to_type(ScalarType.Float32).mean().item<float>();
        Assert.InRange(changed, low, high);
    }

    [Fact]
    public void TrivialAugmentWide_leaves_only_its_identity_and_zero_magnitude_draws_unchanged()
    {
        // On random 24×24 images every op changes a sample except identity (1/14 of the draws), the zero-magnitude bin of the
        // nine signed ops (1/31 of their draws) and solarize at threshold 255 (1/31 of its draws):
        // 1/14 + 10/(14·31) ≈ 0.094 expected, ±0.005 (one sd) over 4096 samples. A bias in the op or bin draw shows here.
        using var scope = NewDisposeScope();
        var x = rand([4096, 3, 24, 24], generator: new TorchSharp.torch.Generator(13));   // 576 pixels: enough for equalize to act
        using var augmentation = new TrivialAugmentWide(seed: 5);
        var y = augmentation.Apply(x);
        var unchanged = (y - x).abs().flatten(1).amax(1).le(1e-6f).to_type(ScalarType.Float32).mean().item<float>();
        Assert.InRange(unchanged, 0.075, 0.115);
    }

    [Fact]
    public void Bad_arguments_name_the_transform_and_the_argument()
    {
        void Check(Action make, string transform, string argument)
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(make);
            Assert.Equal(argument, e.ParamName);
            Assert.Contains(transform, e.Message);
        }
        Check(() => new RandAugment(numOps: -1), "RandAugment", "numOps");
        Check(() => new RandAugment(magnitude: 31), "RandAugment", "magnitude");
        Check(() => new RandAugment(magnitude: -1), "RandAugment", "magnitude");
        Check(() => new RandAugment(numMagnitudeBins: 1, magnitude: 0), "RandAugment", "numMagnitudeBins");
        Check(() => new TrivialAugmentWide(numMagnitudeBins: 1), "TrivialAugmentWide", "numMagnitudeBins");
        Check(() => new AutoAugment((AutoAugmentPolicy)7), "AutoAugment", "policy");
        Check(() => new AugMix(severity: 0), "AugMix", "severity");
        Check(() => new AugMix(severity: 11), "AugMix", "severity");
        Check(() => new AugMix(mixtureWidth: 0), "AugMix", "mixtureWidth");
        Check(() => new AugMix(alpha: 0), "AugMix", "alpha");
        Check(() => new AugMix(alpha: double.NaN), "AugMix", "alpha");
    }
}
