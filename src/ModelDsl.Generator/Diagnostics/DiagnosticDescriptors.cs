using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ModelDsl.Generator.Diagnostics
{
    /// <summary>
    /// Every diagnostic ModelDsl reports: one descriptor per problem, each with a help page in
    /// docs/diagnostics. Messages carry the numbers (and formula) so the fix is obvious from the IDE.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        public const string HelpLinkBase = "https://github.com/modeldsl/ModelDsl/blob/main/docs/diagnostics/";
        private const string Shapes = "ModelDsl.Shapes";
        private const string Usage = "ModelDsl.Usage";
        private const string Design = "ModelDsl.Design";

        public static readonly DiagnosticDescriptor SpatialSizeNonPositive = Make("MDSL0001", Shapes, DiagnosticSeverity.Error,
            "Layer shrinks the feature map to nothing",
            "{0} '{1}' turns {2} into {3}: {4}. Reduce the kernel or stride, or add padding.");

        public static readonly DiagnosticDescriptor LinearInFeaturesMismatch = Make("MDSL0002", Shapes, DiagnosticSeverity.Error,
            "Linear input size does not match its input",
            "Linear '{0}' declares {1} input features but receives {2}{3}");

        public static readonly DiagnosticDescriptor LinearNeedsFlatInput = Make("MDSL0003", Shapes, DiagnosticSeverity.Error,
            "Linear on a feature map",
            "Linear '{0}' needs a flat input; add [Flatten] before it (input is {1})");

        public static readonly DiagnosticDescriptor FeatureCountMismatch = Make("MDSL0004", Shapes, DiagnosticSeverity.Error,
            "Normalization feature count does not match the input",
            "{0} '{1}' declares {2} features but its input has {3} ({4})");

        public static readonly DiagnosticDescriptor GroupsMustDivideChannels = Make("MDSL0005", Shapes, DiagnosticSeverity.Error,
            "Groups must divide the channel counts",
            "{0} '{1}': groups = {2} must divide both in_channels = {3} and out_channels = {4}");

        public static readonly DiagnosticDescriptor ResidualShapeMismatch = Make("MDSL0006", Shapes, DiagnosticSeverity.Error,
            "Residual shapes differ",
            "Residual block '{0}' adds its input {1} to its output {2}; the shapes must match. {3}");

        public static readonly DiagnosticDescriptor InvalidLayerArgument = Make("MDSL0007", Usage, DiagnosticSeverity.Error,
            "Invalid layer argument",
            "{0} '{1}': {2} = {3} is invalid; {4}");

        public static readonly DiagnosticDescriptor SamePaddingNeedsStrideOne = Make("MDSL0008", Usage, DiagnosticSeverity.Error,
            "Same padding needs stride 1",
            "{0} '{1}': Padding = Pad.Same needs stride 1 but the stride is {2}; use Padding = {3} instead");

        public static readonly DiagnosticDescriptor PoolPaddingTooLarge = Make("MDSL0009", Usage, DiagnosticSeverity.Error,
            "Pooling padding larger than half the kernel",
            "{0} '{1}': padding {2} must be at most half of the {3} {4} (at most {5})");

        public static readonly DiagnosticDescriptor ModelMustBePartial = Make("MDSL0010", Design, DiagnosticSeverity.Error,
            "Model class must be partial",
            "'{0}' must be declared partial so that ModelDsl can generate its module");

        public static readonly DiagnosticDescriptor LayersSplitAcrossDeclarations = Make("MDSL0011", Design, DiagnosticSeverity.Error,
            "Layers split over several partial declarations",
            "'{0}' has layer attributes on more than one partial declaration; keep them on one declaration so their order is defined");

        public static readonly DiagnosticDescriptor NameNotUsable = Make("MDSL0012", Design, DiagnosticSeverity.Error,
            "Layer or stage name cannot be used",
            "Name '{0}' cannot be used: {1}");

        public static readonly DiagnosticDescriptor GenericModelNotSupported = Make("MDSL0013", Design, DiagnosticSeverity.Error,
            "Generic models are not supported",
            "'{0}' is generic or nested in a generic type; models and blocks must be non-generic classes");

        public static readonly DiagnosticDescriptor InvalidInputShape = Make("MDSL0014", Usage, DiagnosticSeverity.Error,
            "Model input shape missing or invalid",
            "[Model] on '{0}' needs a positive input shape: {1}");

        public static readonly DiagnosticDescriptor LayerNeedsFeatureMap = Make("MDSL0015", Shapes, DiagnosticSeverity.Error,
            "Layer needs a feature map",
            "{0} '{1}' needs a C×H×W feature map but receives {2}");

        public static readonly DiagnosticDescriptor TrailingSoftmax = Make("MDSL0016", Design, DiagnosticSeverity.Warning,
            "Classifier ends with Softmax",
            "'{0}' ends with Softmax; CrossEntropyLoss applies log-softmax itself, so a trailing Softmax flattens the gradients and slows or stalls training. Remove it and apply softmax when predicting.");

        public static readonly DiagnosticDescriptor SingleUnitSoftmax = Make("MDSL0017", Design, DiagnosticSeverity.Warning,
            "Softmax over a single output unit",
            "'{0}' applies {1} over a single output unit, which always gives {2}: argmax-based metrics such as accuracy will be stuck at one class. Use 2 outputs with cross-entropy, or Sigmoid with a binary metric and a threshold.");

        public static readonly DiagnosticDescriptor PoolingDropsInput = Make("MDSL0018", Shapes, DiagnosticSeverity.Info,
            "Pooling silently drops input rows or columns",
            "{0} '{1}' on {2} drops the last {3} row(s) and {4} column(s): {5}. Pad the input or set CeilMode = true to keep them.");

        public static readonly DiagnosticDescriptor NotABlock = Make("MDSL0019", Usage, DiagnosticSeverity.Error,
            "Used type is not a block",
            "'{0}' is used with [Use<{0}>] but is not a [Block] class");

        public static readonly DiagnosticDescriptor InvalidBlock = Make("MDSL0020", Design, DiagnosticSeverity.Error,
            "Invalid block declaration",
            "'{0}' {1}");

        public static readonly DiagnosticDescriptor NoLayers = Make("MDSL0021", Design, DiagnosticSeverity.Error,
            "Model declares no layers",
            "'{0}' declares no layers; add layer attributes such as [Conv2d(32, 3)] after [{1}]");

        public static readonly DiagnosticDescriptor SizeOutOfRange = Make("MDSL0022", Shapes, DiagnosticSeverity.Error,
            "Layer size out of range",
            "{0} '{1}' on {2}: {3} exceeds 2^63 − 1, so no such tensor can exist; make the input or the layer smaller");

        // Graphs (taps, merges) and inputs of any size. IDs from MDSL0030 on.

        public static readonly DiagnosticDescriptor UnknownTap = Make("MDSL0030", Shapes, DiagnosticSeverity.Error,
            "Merge refers to an unknown tap",
            "{0} '{1}' refers to tap '{2}', which no [Tap] defines{3}");

        public static readonly DiagnosticDescriptor TapUsedBeforeDefined = Make("MDSL0031", Shapes, DiagnosticSeverity.Error,
            "Tap used before it is defined",
            "{0} '{1}' uses tap '{2}' before [Tap(\"{2}\")] defines it; a merge can only use a tensor computed earlier in the chain");

        public static readonly DiagnosticDescriptor DuplicateTap = Make("MDSL0032", Design, DiagnosticSeverity.Error,
            "Tap defined twice",
            "Tap '{0}' is defined more than once; give each tap its own name");

        public static readonly DiagnosticDescriptor ConcatSizeMismatch = Make("MDSL0033", Shapes, DiagnosticSeverity.Error,
            "Concat of feature maps of different sizes",
            "Concat '{0}' joins {1} (from {2}) with {3} (tap '{4}', from {5}) on channels; their heights and widths must be equal{6}");

        public static readonly DiagnosticDescriptor AddShapeMismatch = Make("MDSL0034", Shapes, DiagnosticSeverity.Error,
            "Add of tensors of different shapes",
            "Add '{0}' adds {1} (tap '{2}', from {3}) to {4} (from {5}); the shapes must be equal. {6}");

        public static readonly DiagnosticDescriptor ReshapeElementCount = Make("MDSL0035", Shapes, DiagnosticSeverity.Error,
            "Reshape changes the element count",
            "Reshape '{0}' cannot turn {1} ({2} elements per sample) into {3}: {4}");

        public static readonly DiagnosticDescriptor BadPermutation = Make("MDSL0036", Shapes, DiagnosticSeverity.Error,
            "Permute's dimensions are no permutation of its input's",
            "Permute '{0}' with ({1}) on {2}: the dimensions must be a permutation of 0 … {3} − 1, but {4}");

        public static readonly DiagnosticDescriptor NoAcceptedInputSize = Make("MDSL0037", Shapes, DiagnosticSeverity.Error,
            "No input size works",
            "'{0}' accepts no input size: {1}");

        // Heads (MDSL0035/0036 are Reshape and Permute).

        public static readonly DiagnosticDescriptor HeadNeedsFrom = Make("MDSL0038", Usage, DiagnosticSeverity.Error,
            "Head without From",
            "Head '{0}' does not say which tap it starts from; add From, e.g. [Head(\"{0}\", From = \"features\")]{1}");

        public static readonly DiagnosticDescriptor HeadNotUsable = Make("MDSL0039", Design, DiagnosticSeverity.Error,
            "Head cannot be declared this way",
            "Head '{0}' {1}");

        public static readonly DiagnosticDescriptor LayersReachNoHead = Make("MDSL0040", Design, DiagnosticSeverity.Error,
            "Trunk layers reach no head",
            "{0} follow{1} the last tap a head starts from ('{2}'), so no output of '{3}' depends on {4}; in a model with heads only the heads are outputs. Add [Tap(\"…\")] after them and a [Head] from it, or remove them");

        public static readonly DiagnosticDescriptor MultiplyShapeMismatch = Make("MDSL0041", Shapes, DiagnosticSeverity.Error,
            "Multiply of shapes that do not broadcast",
            "Multiply '{0}' multiplies {1} (from {2}) by {3} (tap '{4}', from {5}); per axis the sizes must be equal or one of them 1, but {6}");

        public static readonly DiagnosticDescriptor SoftmaxOverBatch = Make("MDSL0042", Design, DiagnosticSeverity.Warning,
            "Softmax over the batch",
            "{0} '{1}' with Dim = {2} normalises across the batch of N×{3}: each class's scores would sum to 1 over the samples, not each sample's over its classes; use Dim = 1 (the default), as PyTorch's deprecated implicit dim warned");

        public static readonly DiagnosticDescriptor ResidualOverStrided = Make("MDSL0043", Shapes, DiagnosticSeverity.Error,
            "Residual block downsamples more than its shortcut",
            "Residual block '{0}' shrinks {1} to {2}, by {3} ({4}), but its shortcut follows the block's stride {5}; stride one layer only, as torchvision's blocks do, or state [Residual(Projection = true, Stride = {3})]");

        public static readonly DiagnosticDescriptor InternalError = Make("MDSL9999", Design, DiagnosticSeverity.Error,
            "ModelDsl generator failed",
            "ModelDsl could not generate '{0}': {1}. Please report this with the declaration.");

        public static readonly IReadOnlyList<DiagnosticDescriptor> All = new[]
        {
            SpatialSizeNonPositive, LinearInFeaturesMismatch, LinearNeedsFlatInput, FeatureCountMismatch,
            GroupsMustDivideChannels, ResidualShapeMismatch, InvalidLayerArgument, SamePaddingNeedsStrideOne,
            PoolPaddingTooLarge, ModelMustBePartial, LayersSplitAcrossDeclarations, NameNotUsable,
            GenericModelNotSupported, InvalidInputShape, LayerNeedsFeatureMap, TrailingSoftmax, SingleUnitSoftmax,
            PoolingDropsInput, NotABlock, InvalidBlock, NoLayers, SizeOutOfRange,
            UnknownTap, TapUsedBeforeDefined, DuplicateTap, ConcatSizeMismatch, AddShapeMismatch, ReshapeElementCount, BadPermutation, NoAcceptedInputSize,
            HeadNeedsFrom, HeadNotUsable, LayersReachNoHead, MultiplyShapeMismatch, SoftmaxOverBatch, ResidualOverStrided,
            InternalError,
        };

        private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = All.ToDictionary(d => d.Id);

        public static DiagnosticDescriptor ById(string id) => s_byId[id];

        private static DiagnosticDescriptor Make(string id, string category, DiagnosticSeverity severity, string title, string message)
            => new(id, title, message, category, severity, isEnabledByDefault: true,
                helpLinkUri: HelpLinkBase + id + ".md",
                customTags: severity == DiagnosticSeverity.Error ? new[] { WellKnownDiagnosticTags.NotConfigurable } : new string[0]);
    }
}
