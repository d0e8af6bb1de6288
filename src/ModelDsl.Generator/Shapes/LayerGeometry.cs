namespace ModelDsl.Generator.Shapes
{
    /// <summary>
    /// A layer's arguments after defaults are applied and validated, independent of its input:
    /// what travels from the attribute to the emitted TorchSharp constructor call. Fields a kind does
    /// not use keep their defaults.
    /// </summary>
    internal sealed record LayerGeometry
    {
        /// <summary>Declared output channels/features; 0 = keep the input's.</summary>
        public long OutChannels { get; init; }
        public long KernelH { get; init; }
        public long KernelW { get; init; }
        public long StrideH { get; init; } = 1;
        public long StrideW { get; init; } = 1;
        public long PaddingH { get; init; }
        public long PaddingW { get; init; }
        public bool SamePadding { get; init; }
        public long DilationH { get; init; } = 1;
        public long DilationW { get; init; } = 1;
        public long OutputPaddingH { get; init; }
        public long OutputPaddingW { get; init; }
        public long Groups { get; init; } = 1;
        public bool Bias { get; init; } = true;
        public string PaddingMode { get; init; } = "Zeros";
        public bool CeilMode { get; init; }
        public bool CountIncludePad { get; init; } = true;
        /// <summary>Dropout probability, ELU alpha, LeakyReLU slope or Upsample scale.</summary>
        public double Real { get; init; }
        public long Dim { get; init; } = 1;
        public long OutputHeight { get; init; }
        public long OutputWidth { get; init; }
        public string UpsampleMode { get; init; } = "Nearest";
        public bool AlignCorners { get; init; }
        public double Eps { get; init; } = 1e-5;
        public double Momentum { get; init; } = 0.1;
        public bool Affine { get; init; } = true;
        public bool TrackRunningStats { get; init; } = true;
        /// <summary>Declared input features (Linear) or normalised features (BatchNorm); 0 = inferred.</summary>
        public long DeclaredInFeatures { get; init; }
        public long Repeat { get; init; } = 1;
    }
}
