namespace ModelDsl.CodeFixes
{
    /// <summary>The generator diagnostics these code fixes handle (see docs/diagnostics).</summary>
    internal static class DiagnosticIds
    {
        /// <summary>Linear declares InFeatures that differ from its input.</summary>
        public const string LinearInFeaturesMismatch = "MDSL0002";

        /// <summary>Linear receives a feature map: [Flatten] is missing.</summary>
        public const string LinearNeedsFlatInput = "MDSL0003";

        /// <summary>Padding = Pad.Same with a stride other than 1.</summary>
        public const string SamePaddingNeedsStrideOne = "MDSL0008";

        /// <summary>A classifier ends with Softmax (cross-entropy applies it itself).</summary>
        public const string TrailingSoftmax = "MDSL0016";
    }
}
