namespace ModelDsl.Generator.Tests.Infrastructure;

/// <summary>Declarations that together use every layer kind and DSL feature.</summary>
public static class KitchenSink
{
    public const string Source = """
        using ModelDsl;

        namespace Zoo.Vision
        {
            [Block, Residual(Then = Act.ReLU)]
            [Conv2d(Kernel = 3, Padding = 1), BatchNorm2d, ReLU]
            [Conv2d(Kernel = 3, Padding = 1), BatchNorm2d]
            public partial class ResBlock;

            [Block, Residual(Then = Act.SiLU, Projection = true)]
            [Conv2d(64, 3, Stride = 2, Padding = 1, Bias = false), BatchNorm2d, SiLU]
            [Conv2d(Kernel = 3, Padding = Pad.Same, Bias = false), BatchNorm2d]
            public partial class DownBlock;

            [Block]
            [Conv2d(Kernel = 1), GELU, Dropout2d(0.1)]
            public partial class PlainBlock;

            /// <summary>Uses every layer kind.</summary>
            [Model(Channels = 3, Height = 32, Width = 40)]
            [Stage("Stem")]
            [Conv2d(16, 3, Padding = Pad.Same, Name = "StemConv"), BatchNorm2d(16), LeakyReLU(0.2)]
            [Conv2d(32, KernelH = 3, KernelW = 5, StrideH = 1, StrideW = 2, PaddingH = 1, PaddingW = 2, Dilation = 1, Groups = 2, PaddingMode = PaddingMode.Reflect)]
            [ELU(Alpha = 0.5), MaxPool2d(3, Stride = 2, Padding = 1, CeilMode = true)]
            [Stage("Body")]
            [Use<ResBlock>(Repeat = 2), Use<DownBlock>, Use<PlainBlock>(Name = "Mixer")]
            [AvgPool2d(2, CountIncludePad = false), Upsample(2.0), Upsample(Height = 9, Width = 11, Mode = UpsampleMode.Bilinear, AlignCorners = true)]
            [ConvTranspose2d(32, 3, Stride = 2, Padding = 1, OutputPadding = 1), Tanh, Sigmoid, Identity]
            [AdaptiveAvgPool2d(3, 4), Conv2d(32, 1, Dilation = 1), GlobalAvgPool]
            [Stage("Head")]
            [Flatten, BatchNorm1d, Dropout(0.25), Linear(64, InFeatures = 32), GELU, Linear(10, Bias = false), LogSoftmax(Dim = 1)]
            public partial class Everything;
        }

        public partial class Outer
        {
            [Model(Features = 20)]
            [Linear(16), ReLU, Linear(4), Tanh]
            internal partial class NestedMlp;
        }
        """;
}
