using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Layers;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// The heads of a model (<c>[Head("Name", From = "tap")]</c>): their names are checked before the layers are
    /// named (a head takes the members <c>Name</c>, <c>NameShape</c> and <c>NameShapeFor</c> of the class and the
    /// property <c>Name</c> of the output record), and after the walk the trunk is checked for layers that reach
    /// no head. When a model has heads, everything after a <c>[Head]</c> up to the next belongs to that head, and
    /// only heads are outputs: the trunk's own end is not one.
    /// </summary>
    internal static class HeadAnalysis
    {
        /// <summary>Members of the generated output record struct a head's property may not take.</summary>
        private static readonly string[] s_recordMembers = { "Heads", "HeadNames", "Equals", "GetHashCode", "ToString", "Deconstruct", "GetType" };

        /// <summary>The output record's type name: "{Model}Output".</summary>
        public static string OutputTypeName(string className) => className + "Output";

        /// <summary>
        /// Checks every head's declaration (MDSL0038, MDSL0039) and reserves the class members each takes. Returns
        /// the heads' names in source order (also the invalid ones, so the walk still reports what follows them).
        /// </summary>
        public static List<string> Declare(ModelSpec spec, IReadOnlyList<LayerSpec> withStages, ISet<string> reserved, IReadOnlyCollection<string> stages, DiagnosticSink sink)
        {
            var heads = new List<string>();
            int first = -1;
            for (int i = 0; i < withStages.Count; i++)
            {
                var head = withStages[i];
                if (!head.IsHead)
                {
                    if (head.IsStage && first >= 0)
                        sink.Report(DiagnosticDescriptors.HeadNotUsable, head.Location, withStages[LastHeadBefore(withStages, i)].Name ?? "",
                            $"contains [Stage(\"{head.Name}\")]; a head is its own stage, so put stages in the trunk, before the first [Head]");
                    continue;
                }
                if (first < 0) first = i;
                string name = head.Name ?? "";
                string? problem = !SyntaxFacts.IsValidIdentifier(name) || SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "is not a valid C# identifier; a head's name names a property of the output record and a stage of the model"
                    : heads.Contains(name) ? "is declared twice; give each head its own name"
                    : stages.Contains(name) ? $"has the name of a stage; a head is a stage of its own, so give it another name"
                    : name == OutputTypeName(spec.ClassName) || s_recordMembers.Contains(name) ? $"cannot be a property of the output record {OutputTypeName(spec.ClassName)}, which has a member '{name}' of its own"
                    : Members(name).FirstOrDefault(reserved.Contains) is { } taken ? $"needs the member '{taken}', which the class already has (its own or TorchSharp Module's)"
                    : !HasLayers(withStages, i) ? "has no layers; a head is the layers that follow it, up to the next [Head]"
                    : null;
                if (problem is not null) sink.Report(DiagnosticDescriptors.HeadNotUsable, head.Location, name, problem);
                if ((head.Arg(nameof(HeadAttribute.From))?.Text ?? "").Length == 0)
                    sink.Report(DiagnosticDescriptors.HeadNeedsFrom, head.Location, name, "");
                heads.Add(name);
                foreach (var member in Members(name)) reserved.Add(member);
            }
            return heads;
        }

        /// <summary>The class members a head takes: its stage property and its shape constant (or function).</summary>
        private static IEnumerable<string> Members(string head) => new[] { head, head + "Shape", head + "ShapeFor" };

        private static int LastHeadBefore(IReadOnlyList<LayerSpec> layers, int index)
        {
            for (int i = index - 1; i >= 0; i--) if (layers[i].IsHead) return i;
            return index;
        }

        private static bool HasLayers(IReadOnlyList<LayerSpec> layers, int head)
        {
            for (int i = head + 1; i < layers.Count && !layers[i].IsHead; i++)
                if (!layers[i].IsMarker && !layers[i].IsStage) return true;
            return false;
        }

        /// <summary>
        /// MDSL0040 when layers of the trunk follow the last trunk tap a head uses — starts from, merges (Add, Concat,
        /// Multiply) or restarts from ([From]): nothing reads their output. Called only when every head's tap was found.
        /// </summary>
        public static void CheckTrunkEnd(ModelSpec spec, IReadOnlyList<LayerSpec> layers, IReadOnlyList<string?> names, DiagnosticSink sink)
        {
            int firstHead = -1;
            for (int i = 0; i < layers.Count && firstHead < 0; i++) if (layers[i].IsHead) firstHead = i;
            if (firstHead < 0) return;
            var from = new HashSet<string>(layers.Where(l => l.IsHead).Select(l => l.Arg(nameof(HeadAttribute.From))?.Text ?? ""), StringComparer.Ordinal);
            // A head that merges a trunk tap (a U-Net-like decoder head concatenating a skip) reads the trunk too.
            for (int i = firstHead; i < layers.Count; i++)
            {
                if (layers[i].IsFrom) from.Add(layers[i].Name ?? "");
                else if (LayerCatalog.TryGet(layers[i].Kind, out var family) && family is MergeLayers) from.Add(layers[i].Arg(nameof(AddAttribute.Tap))?.Text ?? "");
            }
            int lastUsed = -1;
            string lastTap = "";
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < firstHead; i++)
                if (layers[i].IsTap && seen.Add(layers[i].Name ?? "") && from.Contains(layers[i].Name ?? "")) { lastUsed = i; lastTap = layers[i].Name ?? ""; }
            var dead = Enumerable.Range(lastUsed + 1, Math.Max(0, firstHead - lastUsed - 1)).Where(i => !layers[i].IsMarker).ToList();
            if (dead.Count == 0 || lastUsed < 0) return;
            string what = dead.Count == 1 ? names[dead[0]] ?? "" : $"{names[dead[0]]} … {names[dead[dead.Count - 1]]}";
            sink.Report(DiagnosticDescriptors.LayersReachNoHead, layers[dead[0]].Location, what, dead.Count == 1 ? "s" : "", lastTap, spec.ClassName, dead.Count == 1 ? "it" : "them");
        }
    }
}
