using System.Collections.Generic;
using ModelDsl.Generator.Parsing;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Layers
{
    /// <summary>
    /// One family of layer attributes (e.g. Conv2d and ConvTranspose2d): everything the generator knows
    /// about them in one file — how their arguments are read and checked, their shape rule, parameter and
    /// multiply-add count, the TorchSharp construction call and the PyTorch-style description. Families are
    /// registered in <see cref="LayerCatalog"/>. Layer-specific knowledge belongs here; the few places that still test a kind
    /// name are the structural ones: a merge or a block in the any-size plan (<c>AxisPlan</c>, <c>AnySizeAnalysis</c>), the
    /// walk's Flatten/Linear advice (<c>ShapeEngine</c>), and the forward of a graph (<c>GraphForward</c>).
    /// </summary>
    internal abstract class LayerFamily
    {
        /// <summary>The attribute kinds this family reads: attribute class names without "Attribute".</summary>
        public abstract IReadOnlyList<string> Kinds { get; }

        /// <summary>The prefix of automatic property names (Conv1, Conv2, …).</summary>
        public abstract string NamePrefix(string kind);

        /// <summary>The TorchSharp module type of the generated property.</summary>
        public virtual string TypeName(string kind) => "global::TorchSharp.Modules." + kind;

        /// <summary>False for layers over flat vectors: a block is built from its input channels alone.</summary>
        public virtual bool AllowedInBlock(string kind) => true;

        /// <summary>The properties a constructor parameter sets: by default the PascalCase of its name.</summary>
        public virtual IEnumerable<string> PropertiesForParameter(string kind, string parameter)
            => new[] { char.ToUpperInvariant(parameter[0]) + parameter.Substring(1) };

        /// <summary>
        /// Applies the defaults to the arguments written on <paramref name="layer"/> and rejects what PyTorch
        /// would reject whatever the input (kernel ≤ 0, p outside [0, 1), …). Null when the layer cannot be built.
        /// </summary>
        public abstract LayerConfig? Read(LayerSpec layer, string name, DiagnosticSink sink);

        /// <summary>"Conv2dAttribute" → "Conv2d": the kind of an attribute class, from its <c>nameof</c>.</summary>
        protected static string KindOf(string attributeClassName)
            => attributeClassName.Substring(0, attributeClassName.Length - "Attribute".Length);
    }

    /// <summary>
    /// A layer's arguments after defaults and checks, independent of its input. Given an input shape it
    /// yields the output, parameters and cost; given channel counts, its construction call and description.
    /// </summary>
    internal abstract class LayerConfig
    {
        /// <summary>PyTorch's shape rule at this input; null (with a diagnostic) where PyTorch would throw.</summary>
        public abstract LayerShape? Resolve(LayerInput input);

        /// <summary>The TorchSharp constructor call; channel counts come in as C# expressions (a block passes <c>channels</c>).</summary>
        public abstract string Construct(string inChannels, string outChannels);

        /// <summary>What PyTorch's <c>repr</c> prints for the layer, for docs and summaries.</summary>
        public abstract string Describe(string inChannels, string outChannels);

        /// <summary>
        /// The layer's <c>ModelDsl.Interop.LayerOp</c> in the generated tables' <see cref="Notation"/> (its arguments for ExportOnnx and the
        /// PyTorch twin) at the channel counts <see cref="Resolve"/> found; null when the layer has no export yet.
        /// </summary>
        public virtual string? Export(long inChannels, long outChannels) => null;

        /// <summary>The module type of the generated property when this configuration needs another than its family's <see cref="LayerFamily.TypeName"/>; else null.</summary>
        public virtual string? ModuleType => null;

        /// <summary>True for layers whose output channels are an argument (convolutions): a block's docs then call their channels "in, out".</summary>
        public virtual bool MapsChannels => false;

        /// <summary>The output channel count the layer states, if any; null when it keeps its input's (for a block's channel expressions).</summary>
        public virtual long? DeclaredOutChannels => null;

        /// <summary>
        /// What the layer does to each spatial axis, for nets of any input size (<see cref="AxisProgram"/>);
        /// false for layers that keep the height and width (activations, batch norm, dropout, …).
        /// </summary>
        public virtual bool TryAxisSteps(out AxisStep height, out AxisStep width)
        {
            height = width = default;
            return false;
        }

        /// <summary>
        /// What the layer does to the receptive field between <paramref name="input"/> and <paramref name="output"/>, as the course
        /// computes it: read from <see cref="TryAxisSteps"/> (a convolution or pool is a sliding window, an upsampling or adaptive pool a
        /// resize, a resize to 1×1 sees the whole input); a layer whose output is flat (Flatten, Linear) sees the whole input; others keep it.
        /// </summary>
        public virtual FieldStep Field(Shape input, Shape output)
        {
            if (!output.IsFeatureMap) return FieldStep.WholeInput;
            if (!input.IsFeatureMap || !TryAxisSteps(out var h, out var w)) return FieldStep.Unchanged;
            bool resize = h.Kind is AxisStep.Operation.Resize or AxisStep.Operation.Scale;
            if (resize && FieldWindow.IsGlobal(output.Height, output.Width)) return FieldStep.WholeInput;
            return new FieldStep(FieldStep.Axis(h, input.Height, output.Height), FieldStep.Axis(w, input.Width, output.Width));
        }

        /// <summary>
        /// After <see cref="Resolve"/> reported an error at <paramref name="input"/>: the output the layer was written to give
        /// (its stated features, its channels at the input's size, the merge's channels), so the walk goes on with the best-known
        /// shape and the next error of the model shows in the same build. Null where nothing sensible is known (a map that
        /// shrank to nothing, an input of the wrong rank): the walk stops there rather than report follow-ups of the first error.
        /// </summary>
        public virtual Shape? OutputDespiteError(Shape input, TapScope? taps) => null;

        /// <summary>For a merge: how it is wired into the graph (resolved by <see cref="Resolve"/>); null for ordinary layers.</summary>
        public virtual GraphEdge? Graph => null;

        /// <summary>For an Add with a projection at this place: the projection's layers (1×1 conv, batch norm) on the tapped tensor.</summary>
        public virtual IReadOnlyList<ResolvedLayer> Children => System.Array.Empty<ResolvedLayer>();
    }

    /// <summary>What a layer's shape rule sees: the layer as written, its name, its input and where to report.</summary>
    internal sealed class LayerInput
    {
        public LayerInput(LayerSpec layer, string name, Shape shape, Shape? mapBeforeFlatten, DiagnosticSink sink, TapScope? taps = null, string? previousKind = null)
        {
            Taps = taps;
            PreviousKind = previousKind;
            Layer = layer;
            Name = name;
            Shape = shape;
            MapBeforeFlatten = mapBeforeFlatten;
            Sink = sink;
        }

        public LayerSpec Layer { get; }
        public string Kind => Layer.Kind;
        public string Name { get; }
        public Shape Shape { get; }
        /// <summary>The feature map a preceding Flatten flattened, for Linear's message.</summary>
        public Shape? MapBeforeFlatten { get; }
        public DiagnosticSink Sink { get; }
        /// <summary>The taps of a graph model (null inside a block): what a merge can refer to.</summary>
        public TapScope? Taps { get; }
        /// <summary>The layer whose output is the input here ("input" for the model's input), for merge messages.</summary>
        public string Source => Taps?.CurrentSource ?? "the previous layer";

        /// <summary>The kind of the layer before this one in the model's chain (Flatten, Linear, …); null when not known.</summary>
        public string? PreviousKind { get; }

        /// <summary>Reports MDSL0015 unless the input is a C×H×W map.</summary>
        public bool NeedsFeatureMap()
        {
            if (Shape.IsFeatureMap) return true;
            // After a Linear (or any flat layer but Flatten) a BatchNorm2d or Dropout2d most likely meant its 1-D twin:
            // the message says so and the code fix offers the replacement.
            bool fromInput = Source == "input";
            string? replacement = Shape.IsFlat && (fromInput || PreviousKind is { } previous && previous != FlattenLayer.Flatten)
                ? Kind == BatchNormLayers.BatchNorm2d ? BatchNormLayers.BatchNorm1d : Kind == DropoutLayers.Dropout2d ? DropoutLayers.Dropout : null
                : null;
            var properties = replacement is null ? EquatableArray<Diagnostics.DiagnosticProperty>.Empty
                : new[] { new Diagnostics.DiagnosticProperty(Diagnostics.DiagnosticProperties.Replacement, replacement) }.ToEquatableArray();
            Sink.ReportWithProperties(Diagnostics.DiagnosticDescriptors.LayerNeedsFeatureMap, Layer.Location, properties, Kind, Name,
                NotAMap(Shape, fromInput ? "input" : PreviousKind, Source, replacement));
            return false;
        }

        /// <summary>What MDSL0015 says a layer received instead of a C×H×W map, and what to do about it.</summary>
        public static string NotAMap(Shape shape, string? previousKind = null, string? previousName = null, string? replacement = null)
        {
            if (!shape.IsFlat) return $"a {shape} tensor (rank {shape.Rank}); [Reshape(c, h, w)] or [Permute(…)] it into one first";
            if (previousKind is null || previousKind == FlattenLayer.Flatten) return $"{shape.Features} flat features; move it before [Flatten]";
            bool input = previousKind == "input";
            string from = input ? $"{shape.Features} flat features (the model's input)" : $"{shape.Features} flat features from {previousKind} '{previousName}'";
            return replacement is not null ? $"{from}; on flat features use {replacement}"
                : input ? $"{from}; a 2-D layer needs a model of Channels, Height and Width"
                : $"{from}; a 2-D layer belongs before [Flatten], with the feature maps";
        }

        /// <summary>Reports MDSL0001 with the formula of the first axis that shrank to nothing.</summary>
        public bool SpatialOk(long outH, long outW, string formulaH, string formulaW)
        {
            if (outH > 0 && outW > 0) return true;
            Sink.Report(Diagnostics.DiagnosticDescriptors.SpatialSizeNonPositive, Layer.Location, Kind, Name,
                $"{Shape.Height}×{Shape.Width}", $"{outH}×{outW}", outH <= 0 ? formulaH : formulaW);
            return false;
        }
    }

    /// <summary>A layer's output at a given input: shape, the channel counts its constructor takes, parameters and multiply-adds per sample.</summary>
    internal sealed record LayerShape(Shape Output, long InChannels, long OutChannels, long Parameters = 0, long MultiplyAdds = 0)
    {
        /// <summary>A layer that keeps its input's shape and has no parameters (activations, dropout, …).</summary>
        public static LayerShape Preserving(Shape input) => new(input, input[0], input[0]);
    }
}
