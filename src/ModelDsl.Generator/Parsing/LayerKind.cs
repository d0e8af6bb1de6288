namespace ModelDsl.Generator.Parsing
{
    /// <summary>The layer vocabulary; names match the attribute classes (without "Attribute").</summary>
    internal enum LayerKind
    {
        Conv2d,
        ConvTranspose2d,
        MaxPool2d,
        AvgPool2d,
        AdaptiveAvgPool2d,
        GlobalAvgPool,
        BatchNorm2d,
        BatchNorm1d,
        Dropout,
        Dropout2d,
        Flatten,
        Linear,
        Upsample,
        ReLU,
        ELU,
        LeakyReLU,
        Sigmoid,
        Tanh,
        GELU,
        SiLU,
        Softmax,
        LogSoftmax,
        Identity,
        /// <summary>A [Use&lt;TBlock&gt;] insertion: one instance of a block.</summary>
        Block,
    }
}
