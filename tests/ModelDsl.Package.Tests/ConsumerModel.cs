namespace ModelDsl.Package.Tests;

/// <summary>The consumer's model in the package tests: the course's 7-class net, its Linear line broken or fixed.</summary>
public static class ConsumerModel
{
    // The model's layer stack gives 64×16×16 = 16384 features; InFeatures = 4096 is the shape error.
    public const string BrokenLinear = "[Linear(7, InFeatures = 4096)]";
    public const string FixedLinear = "[Linear(7, InFeatures = 16384)]";
    public const int LinearLine = 10;
    public const int InFeaturesColumn = 12; // 1-based column of "InFeatures" on that line

    public static string Source(string linear) => $$"""
        using ModelDsl;

        namespace Consumer;

        /// <summary>A 7-class classifier for 3×64×64 images.</summary>
        [Model(Channels = 3, Height = 64, Width = 64)]
        [Conv2d(32, 3, Padding = 1), ELU, MaxPool2d(2)]
        [Conv2d(64, 3, Padding = 1), ELU, MaxPool2d(2)]
        [Flatten]
        {{linear}}
        public partial class SevenClassNet;

        """;
}
