namespace ModelDsl.Samples;

/// <summary>
/// The course's 7-class image classifier for 3×64×64 input: two conv blocks, then a linear
/// classifier. PyTorch: 134,087 parameters.
/// </summary>
[Model(Channels = 3, Height = 64, Width = 64)]
[Stage("FeatureExtractor")]
[Conv2d(32, 3, Padding = 1), ELU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = 1), ELU, MaxPool2d(2)]
[Flatten]
[Stage("Classifier")]
[Linear(7)]              // in_features = 64·16·16 = 16384, inferred at compile time
public partial class SevenClassNet;
