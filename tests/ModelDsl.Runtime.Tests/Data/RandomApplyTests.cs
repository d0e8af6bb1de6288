using ModelDsl.Augmentation;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>RandomApply and RandomChoice per sample: their extremes, their proportions, and an exact resume of their draws.</summary>
public class RandomApplyTests
{
    [Fact]
    public void RandomApply_transforms_about_p_of_the_samples_and_resumes_exactly()
    {
        using var x = rand(400, 1, 4, 4);
        using var never = new RandomApply(0, 1, new RandomHorizontalFlip(p: 1, seed: 2));
        using var always = new RandomApply(1, 1, new RandomHorizontalFlip(p: 1, seed: 2));
        using (var y = never.Apply(x)) Assert.True(y.eq(x).all().item<bool>());
        using (var y = always.Apply(x)) Assert.True(y.eq(x.flip(3)).all().item<bool>());

        using var half = new RandomApply(0.5, 3, new RandomSolarize(0, p: 1, seed: 4)); // threshold 0: every value inverted
        using (var y = half.Apply(x))
        {
            long changed = y.ne(x).flatten(1).any(1).sum().item<long>();
            Assert.InRange(changed, 150, 250);
        }
        var state = half.SaveRandomState();
        using var next = half.Apply(x);
        half.LoadRandomState(state);
        using var again = half.Apply(x);
        Assert.True(next.eq(again).all().item<bool>());
        Assert.Throws<InvalidDataException>(() => half.LoadRandomState(new byte[] { 1, 2 }));
    }

    [Fact]
    public void RandomChoice_gives_each_sample_one_option_by_weight_and_resumes_exactly()
    {
        using var x = full(new long[] { 600, 1, 2, 2 }, 0.25f);
        // Option 0 keeps the sample, option 1 inverts it (1 − x = 0.75): weights 1 : 2.
        using var choice = new RandomChoice(5, new[] { 1.0, 2.0 }, new Lambda(t => t.clone()), new RandomSolarize(0, p: 1, seed: 6));
        using var y = choice.Apply(x);
        long inverted = y.flatten(1)[.., 0].gt(0.5f).sum().item<long>();
        Assert.InRange(inverted, 340, 460);                  // ≈ 2/3 of 600
        Assert.True(y.eq(0.25f).logical_or(y.eq(0.75f)).all().item<bool>());
        var state = choice.SaveRandomState();
        using var next = choice.Apply(x);
        choice.LoadRandomState(state);
        using var again = choice.Apply(x);
        Assert.True(next.eq(again).all().item<bool>());
        Assert.Throws<ArgumentException>(() => new RandomChoice(1, new[] { 1.0 }, new Lambda(t => t), new Lambda(t => t)));
    }
}
