using System.Collections.Generic;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Layers;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// Property names for layers: the one given with <c>Name = "…"</c>, else the kind's prefix and a
    /// running number (Conv1, Conv2, Relu1, …). The block class and every model that uses it call this
    /// same function, so "ResBlock1.Conv2" in a model's summary is the block's <c>Conv2</c> property.
    /// </summary>
    internal static class LayerNaming
    {
        public static string Prefix(LayerSpec layer)
            => layer.IsBlock ? layer.Block?.TypeName ?? "Block" : LayerCatalog.Get(layer.Kind).NamePrefix(layer.Kind);

        /// <summary>
        /// Names for <paramref name="layers"/> (stage markers excluded). Explicit names are checked
        /// (identifier, unique, not a member the class already has); a repeated block with a name gets
        /// that name plus its number.
        /// </summary>
        public static string[] Assign(IReadOnlyList<LayerSpec> layers, ISet<string> reserved, DiagnosticSink? sink)
        {
            var names = new string[layers.Count];
            var taken = new HashSet<string>(System.StringComparer.Ordinal);
            var explicitCount = new Dictionary<string, int>(System.StringComparer.Ordinal);
            foreach (var layer in layers)
                if (layer.Name is { } n) explicitCount[n] = explicitCount.TryGetValue(n, out var c) ? c + 1 : 1;

            // Explicit names first, so automatic numbering steps around them.
            var repeatIndex = new Dictionary<string, int>(System.StringComparer.Ordinal);
            for (int i = 0; i < layers.Count; i++)
            {
                if (layers[i].Name is not { } name) continue;
                bool repeatedBlock = layers[i].IsBlock && explicitCount[name] > 1 && SameUse(layers, name);
                if (repeatedBlock)
                {
                    int k = repeatIndex.TryGetValue(name, out var r) ? r + 1 : 1;
                    repeatIndex[name] = k;
                    names[i] = name + k;
                }
                else names[i] = name;

                string? problem = !SyntaxFacts.IsValidIdentifier(name) || SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None
                    ? "it is not a valid C# identifier"
                    : reserved.Contains(names[i]) ? $"the class already has a member named '{names[i]}' (its own or TorchSharp Module's)"
                    : !taken.Add(names[i]) ? "two layers have this name" : null;
                if (problem is not null) sink?.Report(DiagnosticDescriptors.NameNotUsable, layers[i].Location, name, problem);
            }

            var counters = new Dictionary<string, int>(System.StringComparer.Ordinal);
            for (int i = 0; i < layers.Count; i++)
            {
                if (names[i] is not null) continue;
                string prefix = Prefix(layers[i]);
                int k = counters.TryGetValue(prefix, out var c) ? c : 0;
                string candidate;
                do { k++; candidate = prefix + k; } while (taken.Contains(candidate) || reserved.Contains(candidate));
                counters[prefix] = k;
                taken.Add(candidate);
                names[i] = candidate;
            }
            return names;
        }

        /// <summary>
        /// <see cref="Assign"/> over a chain that holds taps, heads and From markers too: markers take no property name (null),
        /// the layers and block uses are named as if the markers were not there. (The entries of markers are null.)
        /// </summary>
        public static string[] AssignSkippingMarkers(IReadOnlyList<LayerSpec> layers, ISet<string> reserved, DiagnosticSink? sink)
        {
            var modules = new List<LayerSpec>();
            foreach (var layer in layers) if (!layer.IsMarker) modules.Add(layer);
            var moduleNames = Assign(modules, reserved, sink);
            var names = new string[layers.Count];
            for (int i = 0, m = 0; i < layers.Count; i++) if (!layers[i].IsMarker) names[i] = moduleNames[m++];
            return names;
        }

        private static bool SameUse(IReadOnlyList<LayerSpec> layers, string name)
        {
            LocationInfo? first = null;
            foreach (var layer in layers)
            {
                if (layer.Name != name) continue;
                if (first is null) first = layer.Location;
                else if (!Equals(first, layer.Location)) return false;
            }
            return true;
        }
    }
}
