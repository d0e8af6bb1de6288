using TorchSharp;

namespace ModelDsl;

/// <summary>
/// The input contract of a model declared with Channels alone (a fully convolutional net): the channel
/// count, and per spatial axis the <see cref="AxisProgram"/> the generator built from its layers. The
/// generated <c>forward</c> checks every batch against it and <c>OutputShapeFor</c> runs it, with the
/// same shared code the compile-time engine used, so both accept exactly the same sizes.
/// </summary>
public sealed class AnySizeInput
{
    private readonly Lazy<AcceptedSizes> _heights, _widths;

    public AnySizeInput(long channels, AxisProgram height, AxisProgram width)
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "A model needs at least one input channel.");
        Channels = channels;
        Height = height ?? throw new ArgumentNullException(nameof(height));
        Width = width ?? throw new ArgumentNullException(nameof(width));
        _heights = new Lazy<AcceptedSizes>(() => AcceptedSizes.Of(Height));
        _widths = new Lazy<AcceptedSizes>(() => Width.Equals(Height) ? _heights.Value : AcceptedSizes.Of(Width));
    }

    public long Channels { get; }
    public AxisProgram Height { get; }
    public AxisProgram Width { get; }

    /// <summary>The accepted heights (enumerated up to <see cref="AcceptedSizes.DefaultBound"/> on first use).</summary>
    public AcceptedSizes AcceptedHeights => _heights.Value;
    public AcceptedSizes AcceptedWidths => _widths.Value;

    /// <summary>"H, W = 4, 8, 12, … (multiples of 4)".</summary>
    public string Describe() => AcceptedSizes.DescribeInput(AcceptedHeights, AcceptedWidths);

    /// <summary>Whether a per-sample shape C×H×W is accepted.</summary>
    public bool Accepts(Shape sample)
        => sample.IsFeatureMap && sample.Channels == Channels && Height.Accepts(sample.Height) && Width.Accepts(sample.Width);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the model, the accepted sizes and the nearest ones unless <paramref name="input"/> is an accepted batch N×C×H×W.</summary>
    public void Check(torch.Tensor input, string model)
    {
        if (input is null) throw new ArgumentNullException(nameof(input), $"{model}.forward got a null input tensor.");
        // Every generated forward starts here or in ShapeGuard: the first one checks the CPU's convolutions.
        Platform.CpuNumerics.EnsureChecked();
        var dims = input.shape;
        if (dims.Length == 4 && dims[1] == Channels && Height.Accepts(dims[2]) && Width.Accepts(dims[3])) return;
        throw new ArgumentException(Problem(dims, model, batched: true), nameof(input));
    }

    /// <summary>The per-sample output shape for <paramref name="sample"/>: <paramref name="outputChannels"/>×H'×W' with H', W' the programs' last sizes.</summary>
    public Shape OutputFor(Shape sample, long outputChannels, string model)
    {
        RequireAccepted(sample, model);
        long h = Height.OutputFor(sample.Height) ?? sample.Height, w = Width.OutputFor(sample.Width) ?? sample.Width;
        return new Shape(outputChannels, Height.Count == 0 ? sample.Height : h, Width.Count == 0 ? sample.Width : w);
    }

    /// <summary>
    /// The per-sample shape of one head's output for <paramref name="sample"/>: <paramref name="outputChannels"/>×H'×W'
    /// with H', W' the sizes the programs hold after <paramref name="step"/>, the head's last step (-1: the input's).
    /// </summary>
    public Shape OutputAt(Shape sample, int step, long outputChannels, string model)
    {
        RequireAccepted(sample, model);
        long h = Height.OutputAt(sample.Height, step) ?? sample.Height, w = Width.OutputAt(sample.Width, step) ?? sample.Width;
        return new Shape(outputChannels, h, w);
    }

    /// <summary>For a net whose output does not depend on the input size (it ends in a global pool and a Linear): checks <paramref name="sample"/>, returns <paramref name="output"/>.</summary>
    public Shape OutputFor(Shape sample, Shape output, string model)
    {
        RequireAccepted(sample, model);
        return output;
    }

    private void RequireAccepted(Shape sample, string model)
    {
        if (!Accepts(sample)) throw new ArgumentException(Problem(sample.ToArray(), model, batched: false), nameof(sample));
    }

    private string Problem(long[] dims, string model, bool batched)
    {
        string expected = $"{(batched ? "N×" : "")}{Channels}×H×W with {Describe()}";
        int first = batched ? 1 : 0;
        if (dims.Length != first + 3)
        {
            string hint = batched && dims.Length == 3 ? " The batch dimension is missing: use input.unsqueeze(0) for a single sample." : "";
            return $"{model} expects {expected} but got {Shape.Format(dims)}.{hint}";
        }
        if (dims[first] != Channels) return $"{model} expects {expected} but got {Shape.Format(dims)}: {dims[first]} channels instead of {Channels}.";
        var problems = new List<string>();
        if (!Height.Accepts(dims[first + 1])) problems.Add(Nearest("H", dims[first + 1], AcceptedHeights));
        if (!Width.Accepts(dims[first + 2])) problems.Add(Nearest("W", dims[first + 2], AcceptedWidths));
        return $"{model} expects {expected} but got {Shape.Format(dims)}: {string.Join("; ", problems)}.";
    }

    private static string Nearest(string axis, long size, AcceptedSizes sizes)
    {
        var (below, above) = sizes.Nearest(size);
        string nearest = (below, above) switch
        {
            ({ } b, { } a) => $"the nearest that work are {b} and {a}",
            ({ } b, null) => $"the nearest that works is {b}",
            (null, { } a) => $"the nearest that works is {a}",
            _ => "no size works",
        };
        return $"{axis} = {size} does not work, {nearest}";
    }
}
