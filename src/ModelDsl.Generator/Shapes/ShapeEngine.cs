using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// Walks a model's layers from its input shape: every layer's output shape, parameters and
    /// multiply-adds, and every diagnostic — the compile-time twin of running <c>forward</c>.
    /// After the first shape error the rest of the net has no known input, so the walk stops there
    /// (argument errors of later layers are still reported).
    /// </summary>
    internal static class ShapeEngine
    {
        public static AnalyzedModel Analyze(ModelSpec spec)
        {
            var diagnostics = spec.Diagnostics.ToList();
            var sink = new DiagnosticSink(diagnostics);
            var input = spec.Features > 0 ? new Shape(spec.Features) : new Shape(spec.Channels, spec.Height, spec.Width);
            var layers = spec.Layers.Where(l => l.Kind != LayerReader.StageMarker).ToList();
            var reserved = new HashSet<string>(spec.ReservedNames, StringComparer.Ordinal);
            var stages = CheckStages(spec, reserved, sink);
            foreach (var stage in stages) reserved.Add(stage);

            var names = LayerNaming.Assign(layers, reserved, sink);
            bool inputKnown = spec.CanEmit || (spec.Features > 0 || (spec.Channels > 0 && spec.Height > 0 && spec.Width > 0));
            var resolved = new List<ResolvedLayer>();
            var current = input;
            Shape? beforeFlatten = null;
            bool shapeKnown = inputKnown;
            foreach (var (layer, name) in layers.Zip(names, (l, n) => (l, n)))
            {
                var geometry = GeometryReader.Read(layer, name, sink);
                if (geometry is null || !shapeKnown) { shapeKnown = false; continue; }
                var r = layer.Kind == LayerKind.Block
                    ? ResolveBlockUse(layer, name, current, sink)
                    : LayerResolver.Resolve(layer, geometry, name, current, sink, beforeFlatten);
                if (r is null) { shapeKnown = false; continue; }
                if (layer.Kind == LayerKind.Flatten && current.IsFeatureMap) beforeFlatten = current;
                else if (!r.Output.IsFlat) beforeFlatten = null;
                resolved.Add(r);
                current = r.Output;
            }

            if (shapeKnown && layers.Count > 0) ClassifierPitfalls(spec, layers, current, sink);

            bool canEmit = spec.CanEmit && shapeKnown && !diagnostics.Any(d => d.IsError);
            return new AnalyzedModel(spec, input, current, resolved.Sum(r => r.Parameters), resolved.Sum(r => r.MultiplyAdds),
                resolved.ToEquatableArray(), stages.ToEquatableArray(), diagnostics.ToEquatableArray(), canEmit);
        }

        /// <summary>
        /// Checks a [Block] declaration on its own: arguments, names, and the layers a block may hold.
        /// Shapes are checked where the block is used.
        /// </summary>
        public static EquatableArray<DiagnosticInfo> CheckBlockDeclaration(ModelSpec spec, out bool canEmit)
        {
            var diagnostics = spec.Diagnostics.ToList();
            var sink = new DiagnosticSink(diagnostics);
            var layers = spec.Layers.Where(l => l.Kind != LayerReader.StageMarker).ToList();
            var names = LayerNaming.Assign(layers, new HashSet<string>(spec.ReservedNames.Concat(new[] { "Shortcut", "Activation" }), StringComparer.Ordinal), sink);
            for (int i = 0; i < layers.Count; i++)
            {
                var layer = layers[i];
                if (layer.Kind is LayerKind.Flatten or LayerKind.Linear or LayerKind.BatchNorm1d)
                {
                    sink.Report(DiagnosticDescriptors.InvalidBlock, layer.Location, spec.ClassName,
                        $"contains [{layer.Kind}]; a block works on feature maps and is built from its input channels alone, so put flat layers in the model");
                    continue;
                }
                GeometryReader.Read(layer, names[i], sink);
            }
            canEmit = spec.CanEmit && !diagnostics.Any(d => d.IsError);
            return diagnostics.ToEquatableArray();
        }

        private static ResolvedLayer? ResolveBlockUse(LayerSpec use, string name, Shape input, DiagnosticSink sink)
        {
            var block = use.Block!;
            var inner = sink.ForBlockUse(use.Location);
            if (!input.IsFeatureMap)
            {
                inner.Report(DiagnosticDescriptors.LayerNeedsFeatureMap, use.Location, "Block", name, input.Features);
                return null;
            }
            var layers = block.Layers.ToList();
            var names = LayerNaming.Assign(layers, new HashSet<string>(StringComparer.Ordinal), null);
            var children = new List<ResolvedLayer>();
            var current = input;
            for (int i = 0; i < layers.Count; i++)
            {
                if (layers[i].Kind is LayerKind.Flatten or LayerKind.Linear or LayerKind.BatchNorm1d or LayerKind.Block) return null; // reported on the block
                string childName = name + "." + names[i];
                var geometry = GeometryReader.Read(layers[i], childName, inner);
                if (geometry is null) return null;
                var r = LayerResolver.Resolve(layers[i], geometry, childName, current, inner);
                if (r is null) return null;
                children.Add(r with { Stage = use.Stage });
                current = r.Output;
            }

            bool project = false;
            long strideH = 1, strideW = 1;
            if (block.IsResidual && current != input)
            {
                string? problem = null;
                if (block.Projection)
                {
                    strideH = CeilDiv(input.Height, current.Height);
                    strideW = CeilDiv(input.Width, current.Width);
                    if (ShapeMath.ConvOut(input.Height, 1, strideH, 0, 1) != current.Height || ShapeMath.ConvOut(input.Width, 1, strideW, 0, 1) != current.Width)
                        problem = $"A 1×1 projection shortcut cannot map {input.Height}×{input.Width} onto {current.Height}×{current.Width} with an integer stride.";
                }
                else problem = "Keep the channel count and size inside the block, or set [Residual(Projection = true)] for a 1×1 projection shortcut.";
                if (problem is not null)
                {
                    inner.Report(DiagnosticDescriptors.ResidualShapeMismatch, use.Location, name, input.ToString(), current.ToString(), problem);
                    return null;
                }
                project = true;
                long cin = input.Channels, cout = current.Channels;
                var conv = new LayerGeometry { OutChannels = cout, KernelH = 1, KernelW = 1, StrideH = strideH, StrideW = strideW, Bias = false };
                children.Add(new ResolvedLayer(name + ".Shortcut.Conv", LayerKind.Conv2d, use.Stage, conv, input, current, cin, cout,
                    cin * cout, current.Height * current.Width * cin * cout, null, EquatableArray<ResolvedLayer>.Empty));
                children.Add(new ResolvedLayer(name + ".Shortcut.BatchNorm", LayerKind.BatchNorm2d, use.Stage, new LayerGeometry(), current, current, cout, cout,
                    2 * cout, 0, null, EquatableArray<ResolvedLayer>.Empty));
            }

            var info = new BlockUse(block.TypeName, block.FullyQualifiedTypeName, block.Projection, project, strideH, strideW);
            return new ResolvedLayer(name, LayerKind.Block, use.Stage, new LayerGeometry(), input, current, input.Channels, current[0],
                children.Sum(c => c.Parameters), children.Sum(c => c.MultiplyAdds), info, children.ToEquatableArray());
        }

        private static long CeilDiv(long a, long b) => b <= 0 ? 1 : (a + b - 1) / b;

        private static List<string> CheckStages(ModelSpec spec, HashSet<string> reserved, DiagnosticSink sink)
        {
            var stages = new List<string>();
            foreach (var marker in spec.Layers.Where(l => l.Kind == LayerReader.StageMarker))
            {
                string name = marker.Name ?? "";
                string? problem = !Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(name) ? "a stage name must be a valid C# identifier"
                    : stages.Contains(name) ? "two stages have this name; put all of a stage's layers after one [Stage]"
                    : reserved.Contains(name) ? $"the class already has a member named '{name}' (its own or TorchSharp Module's)"
                    : null;
                if (problem is not null) sink.Report(DiagnosticDescriptors.NameNotUsable, marker.Location, name, problem);
                else stages.Add(name);
            }
            return stages;
        }

        private static void ClassifierPitfalls(ModelSpec spec, List<LayerSpec> layers, Shape output, DiagnosticSink sink)
        {
            var last = layers[layers.Count - 1];
            if (last.Kind is LayerKind.Softmax or LayerKind.LogSoftmax && output.IsFlat && output.Features == 1)
                sink.Report(DiagnosticDescriptors.SingleUnitSoftmax, last.Location, spec.ClassName, last.Kind.ToString(), last.Kind == LayerKind.Softmax ? "1.0" : "0.0");
            else if (last.Kind == LayerKind.Softmax)
                sink.Report(DiagnosticDescriptors.TrailingSoftmax, last.Location, spec.ClassName);
        }
    }
}
