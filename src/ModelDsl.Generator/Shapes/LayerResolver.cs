using System;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Parsing;

namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// One layer's output shape, parameter count and multiply-adds from its input shape — PyTorch's
    /// rules, PyTorch's errors. Returns null when PyTorch would reject the layer at this input.
    /// </summary>
    internal static class LayerResolver
    {
        public static ResolvedLayer? Resolve(LayerSpec layer, LayerGeometry g, string name, Shape input, DiagnosticSink sink, Shape? beforeFlatten = null)
        {
            string kind = layer.Kind.ToString();
            ResolvedLayer Make(Shape output, long inC, long outC, long parameters = 0, long macs = 0)
                => new(name, layer.Kind, layer.Stage, g, input, output, inC, outC, parameters, macs, null, EquatableArray<ResolvedLayer>.Empty);

            switch (layer.Kind)
            {
                case LayerKind.Conv2d:
                case LayerKind.ConvTranspose2d:
                {
                    if (!NeedsMap(layer, kind, name, input, sink)) return null;
                    long cin = input.Channels, cout = g.OutChannels > 0 ? g.OutChannels : cin;
                    if (cin % g.Groups != 0 || cout % g.Groups != 0)
                    {
                        sink.Report(DiagnosticDescriptors.GroupsMustDivideChannels, layer.LocationOf("Groups"), kind, name, g.Groups, cin, cout);
                        return null;
                    }
                    long oh, ow;
                    string fh, fw;
                    if (layer.Kind == LayerKind.Conv2d)
                    {
                        if (g.SamePadding) { oh = input.Height; ow = input.Width; fh = fw = "same"; }
                        else
                        {
                            oh = ShapeMath.ConvOut(input.Height, g.KernelH, g.StrideH, g.PaddingH, g.DilationH);
                            ow = ShapeMath.ConvOut(input.Width, g.KernelW, g.StrideW, g.PaddingW, g.DilationW);
                            fh = ShapeMath.ConvFormula(input.Height, g.KernelH, g.StrideH, g.PaddingH, g.DilationH);
                            fw = ShapeMath.ConvFormula(input.Width, g.KernelW, g.StrideW, g.PaddingW, g.DilationW);
                        }
                        if (g.PaddingMode != "Zeros" && !g.SamePadding && (g.PaddingH >= input.Height || g.PaddingW >= input.Width)
                            && g.PaddingMode is "Reflect")
                        {
                            sink.Report(DiagnosticDescriptors.InvalidLayerArgument, layer.LocationOf("Padding"), kind, name, "Padding",
                                $"{g.PaddingH}×{g.PaddingW}", $"reflect padding must be smaller than the input {input.Height}×{input.Width}");
                            return null;
                        }
                    }
                    else
                    {
                        oh = ShapeMath.ConvTransposeOut(input.Height, g.KernelH, g.StrideH, g.PaddingH, g.OutputPaddingH, g.DilationH);
                        ow = ShapeMath.ConvTransposeOut(input.Width, g.KernelW, g.StrideW, g.PaddingW, g.OutputPaddingW, g.DilationW);
                        fh = ShapeMath.ConvTransposeFormula(input.Height, g.KernelH, g.StrideH, g.PaddingH, g.OutputPaddingH, g.DilationH);
                        fw = ShapeMath.ConvTransposeFormula(input.Width, g.KernelW, g.StrideW, g.PaddingW, g.OutputPaddingW, g.DilationW);
                    }
                    if (!SpatialOk(layer, kind, name, input, oh, ow, fh, fw, sink)) return null;
                    long weights = (layer.Kind == LayerKind.Conv2d ? cout * (cin / g.Groups) : cin * (cout / g.Groups)) * g.KernelH * g.KernelW;
                    long parameters = weights + (g.Bias ? cout : 0);
                    long macs = layer.Kind == LayerKind.Conv2d
                        ? oh * ow * weights
                        : input.Height * input.Width * weights;
                    return Make(new Shape(cout, oh, ow), cin, cout, parameters, macs);
                }

                case LayerKind.MaxPool2d:
                case LayerKind.AvgPool2d:
                {
                    if (!NeedsMap(layer, kind, name, input, sink)) return null;
                    long oh = ShapeMath.PoolOut(input.Height, g.KernelH, g.StrideH, g.PaddingH, g.DilationH, g.CeilMode);
                    long ow = ShapeMath.PoolOut(input.Width, g.KernelW, g.StrideW, g.PaddingW, g.DilationW, g.CeilMode);
                    string fh = ShapeMath.PoolFormula(input.Height, g.KernelH, g.StrideH, g.PaddingH, g.DilationH, g.CeilMode);
                    string fw = ShapeMath.PoolFormula(input.Width, g.KernelW, g.StrideW, g.PaddingW, g.DilationW, g.CeilMode);
                    if (!SpatialOk(layer, kind, name, input, oh, ow, fh, fw, sink)) return null;
                    if (!g.CeilMode)
                    {
                        long rows = ShapeMath.DroppedTail(input.Height, g.KernelH, g.StrideH, g.PaddingH, g.DilationH);
                        long cols = ShapeMath.DroppedTail(input.Width, g.KernelW, g.StrideW, g.PaddingW, g.DilationW);
                        if (rows > 0 || cols > 0)
                            sink.Report(DiagnosticDescriptors.PoolingDropsInput, layer.Location, kind, name,
                                $"{input.Height}×{input.Width}", rows, cols, $"{(rows > 0 ? fh : fw)} = {(rows > 0 ? oh : ow)}");
                    }
                    return Make(new Shape(input.Channels, oh, ow), input.Channels, input.Channels);
                }

                case LayerKind.AdaptiveAvgPool2d:
                case LayerKind.GlobalAvgPool:
                    if (!NeedsMap(layer, kind, name, input, sink)) return null;
                    return Make(new Shape(input.Channels, g.OutputHeight, g.OutputWidth), input.Channels, input.Channels);

                case LayerKind.BatchNorm2d:
                case LayerKind.BatchNorm1d:
                {
                    long features;
                    if (layer.Kind == LayerKind.BatchNorm2d)
                    {
                        if (!NeedsMap(layer, kind, name, input, sink)) return null;
                        features = input.Channels;
                    }
                    else
                    {
                        if (!input.IsFlat)
                        {
                            sink.Report(DiagnosticDescriptors.InvalidLayerArgument, layer.Location, kind, name, "input", input.ToString(),
                                "BatchNorm1d needs a flat input; use BatchNorm2d on a feature map or add [Flatten] first");
                            return null;
                        }
                        features = input.Features;
                    }
                    if (g.DeclaredInFeatures > 0 && g.DeclaredInFeatures != features)
                    {
                        sink.Report(DiagnosticDescriptors.FeatureCountMismatch, layer.LocationOf("NumFeatures"), kind, name,
                            g.DeclaredInFeatures, features, input.IsFlat ? $"{features} features" : $"input {input}");
                        return null;
                    }
                    return Make(input, features, features, g.Affine ? 2 * features : 0);
                }

                case LayerKind.Dropout2d:
                    if (!NeedsMap(layer, kind, name, input, sink)) return null;
                    return Make(input, input[0], input[0]);

                case LayerKind.Flatten:
                    return Make(new Shape(input.Elements), input[0], input.Elements);

                case LayerKind.Linear:
                {
                    if (!input.IsFlat)
                    {
                        sink.Report(DiagnosticDescriptors.LinearNeedsFlatInput, layer.Location, name, input.ToString());
                        return null;
                    }
                    long fin = input.Features;
                    if (g.DeclaredInFeatures > 0 && g.DeclaredInFeatures != fin)
                    {
                        sink.ReportWithProperties(DiagnosticDescriptors.LinearInFeaturesMismatch, layer.LocationOf("InFeatures"),
                            new[] { new DiagnosticProperty(DiagnosticProperties.InFeatures, fin.ToString(System.Globalization.CultureInfo.InvariantCulture)) }.ToEquatableArray(),
                            name, g.DeclaredInFeatures, fin,
                            beforeFlatten is { } map ? $" ({map} after Flatten)." : ".");
                        return null;
                    }
                    long parameters = fin * g.OutChannels + (g.Bias ? g.OutChannels : 0);
                    return Make(new Shape(g.OutChannels), fin, g.OutChannels, parameters, fin * g.OutChannels);
                }

                case LayerKind.Upsample:
                {
                    if (!NeedsMap(layer, kind, name, input, sink)) return null;
                    long oh = g.Real > 0 ? ShapeMath.UpsampleOut(input.Height, g.Real) : g.OutputHeight;
                    long ow = g.Real > 0 ? ShapeMath.UpsampleOut(input.Width, g.Real) : g.OutputWidth;
                    if (!SpatialOk(layer, kind, name, input, oh, ow, $"⌊{input.Height}·{g.Real}⌋", $"⌊{input.Width}·{g.Real}⌋", sink)) return null;
                    return Make(new Shape(input.Channels, oh, ow), input.Channels, input.Channels);
                }

                case LayerKind.Softmax:
                case LayerKind.LogSoftmax:
                {
                    long rank = input.Rank + 1;
                    if (g.Dim < -rank || g.Dim >= rank)
                    {
                        sink.Report(DiagnosticDescriptors.InvalidLayerArgument, layer.LocationOf("Dim"), kind, name, "Dim", g.Dim,
                            $"the input N×{input} has {rank} dimensions, so Dim must be in [{-rank}, {rank - 1}]");
                        return null;
                    }
                    return Make(input, input[0], input[0]);
                }

                default: // activations, Dropout, Identity: shape-preserving, no parameters
                    return Make(input, input[0], input[0]);
            }
        }

        private static bool NeedsMap(LayerSpec layer, string kind, string name, Shape input, DiagnosticSink sink)
        {
            if (input.IsFeatureMap) return true;
            sink.Report(DiagnosticDescriptors.LayerNeedsFeatureMap, layer.Location, kind, name, input.Features);
            return false;
        }

        private static bool SpatialOk(LayerSpec layer, string kind, string name, Shape input, long oh, long ow, string fh, string fw, DiagnosticSink sink)
        {
            if (oh > 0 && ow > 0) return true;
            sink.Report(DiagnosticDescriptors.SpatialSizeNonPositive, layer.Location, kind, name,
                $"{input.Height}×{input.Width}", $"{oh}×{ow}", oh <= 0 ? fh : fw);
            return false;
        }
    }
}
