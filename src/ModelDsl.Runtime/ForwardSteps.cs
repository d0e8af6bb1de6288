using ModelDsl.Platform;
using TorchSharp;

namespace ModelDsl;

/// <summary>
/// The steps generated <c>forward</c> methods are made of: advancing the current tensor, a residual block's sum, and a graph's merges and resizes
/// (Add, Concat, Multiply, Chunk, UpsampleTo, PadTo). Disposing an intermediate handle as
/// soon as the next layer has produced its output returns memory early (autograd keeps what it needs
/// inside libtorch); the input and any tensor a layer passed through unchanged are never disposed.
/// </summary>
public static class ForwardSteps
{
    /// <summary>Replaces <paramref name="current"/> by <paramref name="next"/>, disposing the old handle unless it is the input or the same tensor.</summary>
    public static torch.Tensor Advance(torch.Tensor current, torch.Tensor next, torch.Tensor input)
    {
        if (!ReferenceEquals(current, next) && !ReferenceEquals(current, input)) current.Dispose();
        return next;
    }

    /// <summary>body + shortcut for a residual block, disposing both operands when they are intermediates.</summary>
    public static torch.Tensor AddResidual(torch.Tensor body, torch.Tensor shortcut, torch.Tensor input)
    {
        var sum = body.add(shortcut, KeptScalars.One); // not add(t): its hidden alpha is a temporary Scalar (KeptScalars)
        if (!ReferenceEquals(body, input)) body.Dispose();
        if (!ReferenceEquals(shortcut, input)) shortcut.Dispose();
        return sum;
    }

    /// <summary><c>current + tap</c> for an Add merge; the generated code says which operands nothing later needs.</summary>
    public static torch.Tensor Add(torch.Tensor current, torch.Tensor tap, bool disposeCurrent, bool disposeTap)
    {
        var sum = current.add(tap, KeptScalars.One);
        if (disposeCurrent) current.Dispose();
        if (disposeTap) tap.Dispose();
        return sum;
    }

    /// <summary><c>current * tap</c> for a Multiply merge (PyTorch's broadcasting, checked at compile time).</summary>
    public static torch.Tensor Multiply(torch.Tensor current, torch.Tensor tap, bool disposeCurrent, bool disposeTap)
    {
        var product = current.mul(tap);
        if (disposeCurrent) current.Dispose();
        if (disposeTap) tap.Dispose();
        return product;
    }

    /// <summary><c>torch.cat([current, tap], dim=1)</c> for a Concat merge (channels of a feature map, features of a vector).</summary>
    /// <param name="current">The chain's tensor.</param>
    /// <param name="tap">The tapped tensor.</param>
    /// <param name="disposeCurrent">Nothing later reads <paramref name="current"/>: dispose it.</param>
    /// <param name="disposeTap">Nothing later reads <paramref name="tap"/>: dispose it.</param>
    /// <param name="tapFirst">Put the tapped channels first: <c>torch.cat([tap, current], dim=1)</c> (DenseNet, Fire, Inception).</param>
    public static torch.Tensor Concat(torch.Tensor current, torch.Tensor tap, bool disposeCurrent, bool disposeTap, bool tapFirst = false)
    {
        var joined = torch.cat(tapFirst ? new[] { tap, current } : new[] { current, tap }, 1);
        if (disposeCurrent) current.Dispose();
        if (disposeTap) tap.Dispose();
        return joined;
    }

    /// <summary>
    /// <c>F.interpolate(current, size=reference.shape[-2:], mode=…)</c> for an <c>Upsample(SizeOf = "…")</c>: the current map
    /// resized to the reference's height and width (a tap's, or the input's), as PyTorch computes it.
    /// </summary>
    public static torch.Tensor UpsampleTo(torch.Tensor current, torch.Tensor reference, bool disposeCurrent, bool disposeTap, UpsampleMode mode, bool alignCorners)
    {
        var size = new[] { reference.shape[2], reference.shape[3] };
        var resized = mode switch
        {
            UpsampleMode.Bilinear => torch.nn.functional.interpolate(current, size, mode: torch.InterpolationMode.Bilinear, align_corners: alignCorners),
            UpsampleMode.Bicubic => torch.nn.functional.interpolate(current, size, mode: torch.InterpolationMode.Bicubic, align_corners: alignCorners),
            _ => torch.nn.functional.interpolate(current, size, mode: torch.InterpolationMode.Nearest),
        };
        if (disposeCurrent) current.Dispose();
        if (disposeTap) reference.Dispose();
        return resized;
    }

    /// <summary>
    /// The U-Net pad-to-match for a padding layer's <c>SizeOf = "…"</c>: the current map padded to the reference's height and
    /// width, the difference split as <c>F.pad(x, [dw // 2, dw − dw // 2, dh // 2, dh − dh // 2], mode, value)</c>. A map larger
    /// than its reference (possible only in a net of any size: fixed sizes are checked at compile time) throws, naming both.
    /// </summary>
    public static torch.Tensor PadTo(torch.Tensor current, torch.Tensor reference, bool disposeCurrent, bool disposeTap, string mode, double value)
    {
        long dh = reference.shape[2] - current.shape[2], dw = reference.shape[3] - current.shape[3];
        if (dh < 0 || dw < 0)
            throw new ArgumentException($"Padding to a reference's size: the map [{string.Join(", ", current.shape)}] is larger than the reference [{string.Join(", ", reference.shape)}]; padding only grows a map.");
        var padMode = mode switch { "reflect" => PaddingModes.Reflect, "replicate" => PaddingModes.Replicate, _ => PaddingModes.Constant };
        var padded = torch.nn.functional.pad(current, new[] { dw / 2, dw - dw / 2, dh / 2, dh - dh / 2 }, padMode, value);
        if (disposeCurrent) current.Dispose();
        if (disposeTap) reference.Dispose();
        return padded;
    }

    /// <summary>Part <paramref name="index"/> of <paramref name="parts"/> equal slices of the channels (<c>x.chunk(parts, dim=1)[index]</c>) for a [Chunk].</summary>
    public static torch.Tensor Chunk(torch.Tensor current, long index, long parts)
    {
        long size = current.shape[1] / parts;
        return current.narrow(1, index * size, size);
    }
}
