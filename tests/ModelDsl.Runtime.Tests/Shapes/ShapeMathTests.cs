using ModelDsl;
using TorchSharp;
using Xunit;

namespace ModelDsl.Runtime.Tests.Shapes;

/// <summary>The shared formulas against what libtorch itself computes for the same layer.</summary>
public class ShapeMathTests
{
    [Theory]
    [InlineData(28, 5, 1, 0, 1)]
    [InlineData(64, 3, 1, 1, 1)]
    [InlineData(224, 11, 4, 2, 1)]
    [InlineData(17, 3, 2, 1, 2)]
    [InlineData(9, 4, 3, 0, 1)]
    public void ConvOut_matches_libtorch(long size, long k, long s, long p, long d)
    {
        using var conv = torch.nn.Conv2d(1, 1, k, stride: s, padding: p, dilation: d);
        using var x = torch.zeros(1, 1, size, size);
        using var y = conv.forward(x);
        Assert.Equal(y.shape[2], ShapeMath.ConvOut(size, k, s, p, d));
    }

    [Theory]
    [InlineData(7, 2, 2, 0, false)]
    [InlineData(7, 2, 2, 0, true)]
    [InlineData(6, 3, 2, 1, true)]
    [InlineData(5, 3, 2, 1, true)]
    [InlineData(13, 3, 2, 0, true)]
    [InlineData(55, 3, 2, 0, false)]
    public void PoolOut_matches_libtorch_including_ceil_mode(long size, long k, long s, long p, bool ceil)
    {
        using var pool = torch.nn.MaxPool2d(k, s, p, ceil_mode: ceil);
        using var x = torch.zeros(1, 1, size, size);
        using var y = pool.forward(x);
        Assert.Equal(y.shape[2], ShapeMath.PoolOut(size, k, s, p, 1, ceil));
    }

    [Fact]
    public void DroppedTail_counts_the_rows_a_7x7_maxpool2_loses()
    {
        Assert.Equal(1, ShapeMath.DroppedTail(7, 2, 2, 0, 1));
        Assert.Equal(0, ShapeMath.DroppedTail(8, 2, 2, 0, 1));
        Assert.Equal(0, ShapeMath.DroppedTail(7, 2, 2, 1, 1));
    }

    [Fact]
    public void Shape_formats_like_the_diagnostics()
    {
        Assert.Equal("64×16×16", new Shape(64, 16, 16).ToString());
        Assert.Equal("4096", new Shape(4096).ToString());
        Assert.Equal(16384, new Shape(64, 16, 16).Elements);
    }

    [Fact]
    public void Sizes_past_2_to_the_63_throw_instead_of_wrapping()
    {
        Assert.Throws<OverflowException>(() => ShapeMath.UpsampleOut(8, 1e300));
        Assert.Throws<OverflowException>(() => ShapeMath.UpsampleOut(8, double.PositiveInfinity));
        Assert.Throws<OverflowException>(() => ShapeMath.UpsampleOut(8, double.NaN));
        Assert.Equal(16, ShapeMath.UpsampleOut(8, 2.0));
        Assert.Throws<OverflowException>(() => ShapeMath.ConvTransposeOut(long.MaxValue / 2, 3, 3, 0, 0, 1));
        Assert.Throws<OverflowException>(() => new Shape(8, 2_000_000_000, 2_000_000_000).Elements);
        Assert.Equal(4_000_000_000_000_000_000, new Shape(1, 2_000_000_000, 2_000_000_000).Elements);
    }

    [Theory]
    [InlineData(4, 1, 1, 2)]
    [InlineData(2, 1, 0, 1)]
    [InlineData(3, 2, 2, 2)]
    [InlineData(5, 1, 2, 2)]
    public void SamePadding_puts_the_extra_row_after_as_PyTorch_does(long kernel, long dilation, long before, long after)
        => Assert.Equal((before, after), ShapeMath.SamePadding(kernel, dilation));
}
