namespace ModelDsl.Generator.Tests.Infrastructure;

/// <summary>
/// Random graph models for the graph property tests (and the interop tests, which link this file): convs,
/// pools, transposed convs, batch norm, taps, Concat, Add with and without projection, squeeze-and-excitation
/// (a pooled gate Multiply-ed back onto its map, broadcasting), an optional pooled
/// classifier head. Every net is valid at 32×32 and, declared with Channels alone, at any size it accepts.
/// </summary>
public static class RandomGraph
{
    /// <summary>
    /// A graph that is valid by construction: the size only changes by 2×2 pools (level + 1) and stride-2
    /// transposed convs (level − 1); a merge takes a tap of the current level (Add of other channels projects).
    /// </summary>
    public static (string Layers, int Channels) Next(Random random)
    {
        var parts = new List<string>();
        var taps = new List<(string Name, int Level, int Channels)>();
        int channels = random.Next(1, 4), inputChannels = channels, level = 0;
        for (int step = random.Next(4, 12), t = 0; step > 0; step--)
        {
            int choice = random.Next(10);
            if (choice <= 1) { channels = random.Next(2, 9) * 2; parts.Add($"Conv2d({channels}, 3, Padding = 1)"); }
            else if (choice == 2) parts.Add(random.Next(2) == 0 ? "ReLU" : "BatchNorm2d");
            else if (choice == 3 && level < 3) { parts.Add(random.Next(2) == 0 ? "MaxPool2d(2)" : "AvgPool2d(2)"); level++; }
            else if (choice == 4 && level > 0) { channels = random.Next(2, 9) * 2; parts.Add($"ConvTranspose2d({channels}, 2, Stride = 2)"); level--; }
            else if (choice == 5) { string name = "t" + t++; taps.Add((name, level, channels)); parts.Add($"Tap(\"{name}\")"); }
            else if (choice == 8 && random.Next(2) == 0)
            {
                // Fire (SqueezeNet): squeeze, then two parallel expands from it, joined with the first branch first.
                string s = "t" + t++, e = "t" + t++;
                int squeeze = random.Next(1, 5) * 2, expand = random.Next(1, 5) * 2;
                parts.Add($"Conv2d({squeeze}, 1), ReLU, Tap(\"{s}\"), Conv2d({expand}, 1), ReLU, Tap(\"{e}\"), From(\"{s}\"), Conv2d({expand}, 3, Padding = 1), ReLU, Concat(\"{e}\", Order = ConcatOrder.TapFirst)");
                taps.Add((s, level, squeeze));
                channels = 2 * expand;
            }
            else if (choice == 9)
            {
                // Squeeze-and-excitation: a C×1×1 gate from the pooled map times the map (MobileNetV3, EfficientNet).
                string name = "t" + t++;
                taps.Add((name, level, channels));
                parts.Add($"Tap(\"{name}\"), GlobalAvgPool, Conv2d({Math.Max(1, channels / 4)}, 1), ReLU, Conv2d({channels}, 1), {(random.Next(2) == 0 ? "Sigmoid" : "Hardsigmoid")}, Multiply(\"{name}\")");
            }
            else
            {
                var same = taps.Where(x => x.Level == level).ToList();
                if (same.Count == 0) { parts.Add("ReLU"); continue; }
                var tap = same[random.Next(same.Count)];
                if (random.Next(2) == 0) { parts.Add($"Concat(\"{tap.Name}\"{(random.Next(3) == 0 ? ", Order = ConcatOrder.TapFirst" : "")})"); channels += tap.Channels; }
                else parts.Add(tap.Channels == channels ? $"Add(\"{tap.Name}\")" : $"Add(\"{tap.Name}\", Projection = true)");
            }
        }
        if (random.Next(3) == 0) parts.Add($"GlobalAvgPool, Flatten, Linear({random.Next(2, 11)})");
        if (parts.Count == 0) parts.Add("ReLU");
        return ("[" + string.Join(", ", parts) + "]", inputChannels);
    }
}
