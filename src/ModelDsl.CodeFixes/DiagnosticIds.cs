namespace ModelDsl.CodeFixes
{
    /// <summary>The generator diagnostics these code fixes handle (see docs/diagnostics).</summary>
    internal static class DiagnosticIds
    {
        /// <summary>Linear declares InFeatures that differ from its input.</summary>
        public const string LinearInFeaturesMismatch = "MDSL0002";

        /// <summary>Linear receives a feature map: [Flatten] is missing.</summary>
        public const string LinearNeedsFlatInput = "MDSL0003";

        /// <summary>BatchNorm declares a feature count that differs from its input's.</summary>
        public const string FeatureCountMismatch = "MDSL0004";

        /// <summary>Padding = Pad.Same with a stride other than 1.</summary>
        public const string SamePaddingNeedsStrideOne = "MDSL0008";

        /// <summary>A layer that needs a C×H×W map receives flat features (after a Linear: its 1-D twin is meant).</summary>
        public const string LayerNeedsFeatureMap = "MDSL0015";

        /// <summary>A model or block class (or a class containing one) is not partial.</summary>
        public const string ModelMustBePartial = "MDSL0010";

        /// <summary>A classifier ends with Softmax (cross-entropy applies it itself).</summary>
        public const string TrailingSoftmax = "MDSL0016";

        /// <summary>Softmax over a single output unit (always 1.0).</summary>
        public const string SingleUnitSoftmax = "MDSL0017";

        /// <summary>Floor-mode pooling drops the last rows/columns (info).</summary>
        public const string PoolingDropsInput = "MDSL0018";
    }
}
