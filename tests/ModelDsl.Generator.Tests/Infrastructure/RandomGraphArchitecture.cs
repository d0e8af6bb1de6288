namespace ModelDsl.Generator.Tests.Infrastructure;

/// <summary>
/// A seeded random graph net that PyTorch accepts: convs, batch norm, activations, pools and transposed convs,
/// taps with Concat and Add (with and without projection), blocks between them, and often heads — each from a tap
/// of the trunk, with merges of trunk taps, Permute/Reshape on maps, or a pooled Linear with a Reshape. Half of
/// them are declared with Channels alone (any input size). Valid by construction: the size changes only by 2×2
/// pools (level + 1) and stride-2 transposed convs (level − 1), a merge takes a tap of its own level, and the
/// trunk ends at a tap a head uses. The property test compares the generator with TorchSharp, not with this.
/// </summary>
public sealed class RandomGraphArchitecture
{
    private readonly Random _rng;
    private readonly string _model;
    private readonly List<string> _parts = new();
    private readonly List<(string Name, int Level, int Channels)> _taps = new();
    private int _tapCount;

    public RandomGraphArchitecture(int seed)
    {
        _rng = new Random(seed);
        AnySize = _rng.Next(2) == 0;
        int channels = _rng.Next(1, 4), level = 0;
        _model = AnySize ? $"[Model(Channels = {channels})]" : $"[Model(Channels = {channels}, Height = 32, Width = 32)]";
        var trunk = new List<string>();
        Chain(trunk, ref channels, ref level, _rng.Next(3, 10), local: null);
        int heads = _rng.Next(3); // 0: one output, as a plain graph model
        if (heads == 0)
        {
            if (_rng.Next(3) == 0) trunk.Add($"GlobalAvgPool, Flatten, Linear({_rng.Next(2, 11)})");
            _parts.Add("[" + string.Join(", ", trunk.DefaultIfEmpty("ReLU")) + "]");
            return;
        }
        // The trunk's end is an output only through a head: tap it, and let the first head start there.
        trunk.Add("Tap(\"end\")");
        _taps.Add(("end", level, channels));
        _parts.Add("[" + string.Join(", ", trunk) + "]");
        var trunkTaps = _taps.ToList();
        for (int k = 0; k < heads + 1; k++)
        {
            var from = k == 0 ? trunkTaps[^1] : trunkTaps[_rng.Next(trunkTaps.Count)];
            int c = from.Channels, l = from.Level;
            var head = new List<string> { $"Head(\"H{k}\", From = \"{from.Name}\")" };
            var local = new List<(string, int, int)>(trunkTaps);
            Chain(head, ref c, ref l, _rng.Next(1, 4), local);
            if (head.Skip(1).All(p => p.StartsWith("Tap(", StringComparison.Ordinal))) head.Add("ReLU"); // a head needs a layer (MDSL0039)
            switch (_rng.Next(4))
            {
                case 0:
                    int features = _rng.Next(1, 7) * 2;
                    head.Add($"GlobalAvgPool, Flatten, Linear({features})");
                    if (_rng.Next(2) == 0) head.Add(_rng.Next(2) == 0 ? $"Reshape(2, {features / 2})" : $"Reshape(-1, 2), Permute(1, 0)");
                    break;
                case 1 when !AnySize: head.Add(_rng.Next(2) == 0 ? "Permute(1, 2, 0)" : $"Reshape({c}, -1)"); break;
                case 2 when !AnySize: head.Add($"Reshape(1, {c}, -1, 2), Sigmoid"); break;
                default: break;
            }
            _parts.Add("[" + string.Join(", ", head) + "]");
        }
    }

    /// <summary>Declared with Channels alone: the property test runs it at several accepted sizes.</summary>
    public bool AnySize { get; }

    public string Declaration(string name)
        => $"namespace Props\n{{\n    {_model}\n    {string.Join("\n    ", _parts)}\n    public partial class {name};\n}}\n";

    /// <summary>Appends <paramref name="steps"/> random graph steps; in a head, <paramref name="local"/> are the taps it may merge (the trunk's and its own).</summary>
    private void Chain(List<string> parts, ref int channels, ref int level, int steps, List<(string Name, int Level, int Channels)>? local)
    {
        var visible = local ?? _taps;
        for (; steps > 0; steps--)
        {
            int choice = _rng.Next(10);
            if (choice <= 1) { channels = _rng.Next(2, 9) * 2; parts.Add($"Conv2d({channels}, 3, Padding = 1)"); }
            else if (choice == 2) parts.Add(_rng.Next(3) switch { 0 => "ReLU", 1 => "BatchNorm2d", _ => "Identity" });
            else if (choice == 3 && level < 3) { parts.Add(_rng.Next(2) == 0 ? "MaxPool2d(2)" : "AvgPool2d(2)"); level++; }
            else if (choice == 4 && level > 0) { channels = _rng.Next(2, 9) * 2; parts.Add($"ConvTranspose2d({channels}, 2, Stride = 2)"); level--; }
            else if (choice == 5) { string name = "t" + _tapCount++; visible.Add((name, level, channels)); parts.Add($"Tap(\"{name}\")"); }
            else if (choice == 6) parts.Add(_rng.Next(2) == 0 ? "Use<Same>" : "Use<Mix>");
            else
            {
                int at = level;
                var same = visible.Where(x => x.Level == at).ToList();
                if (same.Count == 0) { parts.Add("ReLU"); continue; }
                var tap = same[_rng.Next(same.Count)];
                if (_rng.Next(2) == 0) { parts.Add($"Concat(\"{tap.Name}\")"); channels += tap.Channels; }
                else parts.Add(tap.Channels == channels ? $"Add(\"{tap.Name}\")" : $"Add(\"{tap.Name}\", Projection = true)");
            }
        }
    }
}
