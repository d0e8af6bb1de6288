namespace ModelDsl.Generator
{
    /// <summary>
    /// The tracking names of the generator's steps (<c>WithTrackingName</c>), for incremental tests.
    /// Each path runs one way: specs (parsing) → analysed value + diagnostics → emitted source.
    /// </summary>
    internal static class PipelineStepNames
    {
        /// <summary>[Model] classes read into <c>ModelSpec</c>s (attribute data and locations).</summary>
        public const string ModelSpecs = nameof(ModelSpecs);

        /// <summary>Shape analysis: an analysed model (no locations) beside its diagnostics.</summary>
        public const string AnalyzedModels = nameof(AnalyzedModels);

        /// <summary>The analysed models alone: what the model emitter reads.</summary>
        public const string ModelsToEmit = nameof(ModelsToEmit);

        /// <summary>[Block] classes read into <c>ModelSpec</c>s.</summary>
        public const string BlockSpecs = nameof(BlockSpecs);

        /// <summary>Block declaration checks: an analysed block (no locations) beside its diagnostics.</summary>
        public const string AnalyzedBlocks = nameof(AnalyzedBlocks);

        /// <summary>The analysed blocks alone: what the block emitter reads.</summary>
        public const string BlocksToEmit = nameof(BlocksToEmit);
        public const string SurfacesToEmit = nameof(SurfacesToEmit);
    }
}
