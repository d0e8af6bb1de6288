using ModelDsl;
using Xunit;
using static ModelDsl.AxisStep;

namespace ModelDsl.Runtime.Tests.Shapes;

/// <summary>Which sizes an axis accepts, how that is put in words, and the nearest sizes that would work.</summary>
public class AcceptedSizesTests
{
    /// <summary>DESIGN.md §2b's small U-Net, one axis: two 2×2 pools, two stride-2 transposed convs, two concatenations.</summary>
    private static readonly AxisProgram UNet = new(
        Same(3, 1), Same(3, 1), Tap(),             // 2: skip1
        Window(2, 2, 0, 1),
        Same(3, 1), Tap(),                         // 5: skip2
        Window(2, 2, 0, 1),
        Same(3, 1),
        Transposed(2, 2, 0, 0, 1), Merge(5), Same(3, 1),
        Transposed(2, 2, 0, 0, 1), Merge(2), Same(3, 1),
        Window(1, 1, 0, 1));

    [Fact]
    public void A_UNet_with_two_pools_accepts_multiples_of_4()
    {
        var sizes = AcceptedSizes.Of(UNet);
        Assert.Equal("4, 8, 12, … (multiples of 4)", sizes.Describe());
        Assert.Equal(4, sizes.Period);
        Assert.Equal(new long[] { 0 }, sizes.Residues);
        Assert.Equal(Enumerable.Range(1, 4096).Where(n => n % 4 == 0).Select(n => (long)n), sizes.Sizes);
        Assert.Equal("H, W = 4, 8, 12, … (multiples of 4)", AcceptedSizes.DescribeInput(sizes, sizes));
    }

    [Fact]
    public void Nearest_names_the_accepted_sizes_on_both_sides()
    {
        var sizes = AcceptedSizes.Of(UNet);
        Assert.Equal(((long?)28, (long?)32), sizes.Nearest(30));
        Assert.Equal((null, 4L), sizes.Nearest(2));
        // above the enumeration bound the program itself decides
        Assert.Equal(((long?)4096, (long?)4100), sizes.Nearest(4098));
        Assert.True(sizes.Contains(1L << 20));
        Assert.False(sizes.Contains((1L << 20) + 2));
    }

    [Theory]
    [InlineData("valid 3×3 conv", "any size ≥ 3")]
    [InlineData("padded conv", "any size")]
    [InlineData("stride-2 conv, transposed back, concatenated", "2, 4, 6, … (multiples of 2)")]
    [InlineData("stride-32 backbone, upsampled ×32, concatenated", "32, 64, 96, … (multiples of 32)")]
    [InlineData("valid conv, pool, transposed, concatenated", "4, 6, 8, … (multiples of 2)")]
    [InlineData("offset residue", "2, 6, 10, … (4·k + 2)")]
    [InlineData("upsampled to a fixed size, concatenated", "32")]
    [InlineData("adaptive pool then conv", "any size")]
    [InlineData("a range", "4 to 6")]
    [InlineData("two residues", "2, 3, 5, 6, … (size mod 3 = 0 or 2)")]
    public void The_accepted_sizes_are_described_in_words(string net, string expected)
    {
        var sizes = AcceptedSizes.Of(Nets[net]);
        Assert.Equal(expected, sizes.Describe());
        // The description is backed by the enumeration: check it against brute force on the first sizes.
        foreach (long n in Enumerable.Range(1, 200))
            Assert.Equal(Nets[net].Accepts(n), sizes.Contains(n));
    }

    private static readonly Dictionary<string, AxisProgram> Nets = new()
    {
        ["valid 3×3 conv"] = new(Window(3, 1, 0, 1)),
        ["padded conv"] = new(Window(3, 1, 1, 1)),
        ["stride-2 conv, transposed back, concatenated"] = new(Tap(), Window(3, 2, 1, 1), Transposed(2, 2, 0, 0, 1), Merge(0)),
        ["stride-32 backbone, upsampled ×32, concatenated"] = new(Tap(), Window(32, 32, 0, 1), Scale(32), Merge(0)),
        // (n − 2) must be even and ≥ 2
        ["valid conv, pool, transposed, concatenated"] = new(Window(3, 1, 0, 1), Tap(), Window(2, 2, 0, 1), Transposed(2, 2, 0, 0, 1), Merge(1)),
        // 4·⌊(n + 2)/4⌋ = n + 2
        ["offset residue"] = new(Window(1, 1, 1, 1), Tap(), Window(4, 4, 0, 1), Scale(4), Merge(1)),
        ["upsampled to a fixed size, concatenated"] = new(Tap(), Resize(32), Merge(0)),
        ["adaptive pool then conv"] = new(Resize(7), Window(3, 1, 0, 1)),
        // a stride-3 projection of n onto a fixed 2: ⌈n/3⌉ = 2
        ["a range"] = new(Tap(), Resize(2), Project(0, 3)),
        // a stride-3 projection of n onto ⌊(n + 1)/3⌋: ⌈n/3⌉ = ⌊(n + 1)/3⌋ unless n mod 3 = 1
        ["two residues"] = new(Tap(), Window(2, 3, 0, 1), Project(0, 3)),
    };

    [Fact]
    public void No_accepted_size_is_explained_by_the_step_that_gets_furthest()
    {
        // A stride-2 valid conv concatenated with its own input: never equal.
        var program = new AxisProgram(Tap(), Window(3, 2, 0, 1), Merge(0));
        var sizes = AcceptedSizes.Of(program);
        Assert.True(sizes.IsEmpty);
        Assert.Equal("none", sizes.Describe());
        var why = sizes.TypicalFailure()!;
        Assert.Equal(2, why.Step);
        Assert.Equal(AxisFailure.Reason.Mismatch, why.Why);
        Assert.Equal(1, why.Input);      // 3 → 1: 3 is the smallest size that reaches the merge
        Assert.Equal(3, why.Reference);
        Assert.Equal((null, null), sizes.Nearest(10));
        Assert.Null(AcceptedSizes.Of(UNet).TypicalFailure());
    }

    [Fact]
    public void A_size_is_constant_after_a_global_pool_and_not_before()
    {
        var program = new AxisProgram(Window(3, 1, 1, 1), Window(2, 2, 0, 1), Resize(1), Window(1, 1, 0, 1));
        var sizes = AcceptedSizes.Of(program);
        Assert.False(sizes.TryConstantAt(1, out _));
        Assert.True(sizes.TryConstantAt(2, out long pooled));
        Assert.Equal(1, pooled);
        Assert.True(sizes.TryConstantAt(3, out long after));
        Assert.Equal(1, after);
        Assert.Equal("any size ≥ 2", sizes.Describe());
    }

    [Fact]
    public void Random_programs_follow_their_described_pattern_far_beyond_the_bound()
    {
        // The pattern is found below a bound of 512 and must hold, for the program itself, up to 4 × 512.
        var random = new Random(7);
        int periodic = 0;
        for (int i = 0; i < 300; i++)
        {
            var program = RandomProgram(random);
            var sizes = AcceptedSizes.Of(program, 512);
            if (sizes.Period is not { } p) continue;
            periodic++;
            var residues = new HashSet<long>(sizes.Residues);
            for (long n = sizes.PatternStart; n <= 2048; n++)
                Assert.True(program.Accepts(n) == residues.Contains(n % p), $"{program}: {sizes.Describe()} but {n} is {(program.Accepts(n) ? "accepted" : "rejected")}");
        }
        Assert.True(periodic > 250, $"only {periodic} of 300 random programs had a pattern");
    }

    private static AxisProgram RandomProgram(Random random)
    {
        var steps = new List<AxisStep>();
        var taps = new List<int>();
        for (int i = random.Next(1, 8); i > 0; i--)
        {
            if (random.Next(3) == 0) { taps.Add(steps.Count); steps.Add(Tap()); }
            long k = random.Next(1, 5), s = random.Next(1, 4);
            steps.Add(random.Next(taps.Count > 0 ? 7 : 5) switch
            {
                0 => Window(k, s, random.Next(0, 3), random.Next(1, 3)),
                1 => Window(k, s, random.Next(0, (int)(k / 2) + 1), 1, ceilMode: true),
                2 => Transposed(k, s, random.Next(0, 2), 0, 1),
                3 => Scale(new[] { 2.0, 0.5, 1.5 }[random.Next(3)]),
                4 => Same(k, 1, PaddingRule.LessThanInput),
                5 => Merge(taps[random.Next(taps.Count)]),
                _ => Project(taps[random.Next(taps.Count)], random.Next(1, 3)),
            });
        }
        return new AxisProgram(steps.ToArray());
    }
}
