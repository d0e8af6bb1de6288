namespace ModelDsl.Generator.Diagnostics
{
    /// <summary>
    /// Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that carry what the generator
    /// inferred, so that code fixes can write it without re-running the shape engine. This file is
    /// compiled into both the generator and ModelDsl.CodeFixes, so the two always agree on the keys.
    /// </summary>
    internal static class DiagnosticProperties
    {
        /// <summary>MDSL0002: the input size the Linear actually receives; MDSL0003: the size it would receive after a Flatten (a decimal integer).</summary>
        public const string InFeatures = "InFeatures";

        /// <summary>MDSL0015: the 1-D layer a BatchNorm2d or Dropout2d on flat features after a Linear should be (BatchNorm1d, Dropout).</summary>
        public const string Replacement = "Replacement";

        /// <summary>MDSL0008: the explicit vertical padding that Pad.Same would amount to.</summary>
        public const string PaddingH = "PaddingH";

        /// <summary>MDSL0008: the explicit horizontal padding that Pad.Same would amount to.</summary>
        public const string PaddingW = "PaddingW";
    }
}
