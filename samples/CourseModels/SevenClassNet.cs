namespace ModelDsl.Samples;

/// <summary>
/// The course's 7-class image classifier for 3×64×64 input: two conv blocks, then a linear
/// classifier. PyTorch: 134,087 parameters. As the course's <c>Net(num_classes)</c>, the class count is a
/// constructor argument (<c>new SevenClassNet(numClasses: 5)</c>); everything before the classifier stays checked.
/// </summary>
[Model(Channels = 3, Height = 64, Width = 64, Args = "NumClasses = 7")]
[Stage("FeatureExtractor")]
[Conv2d(32, 3, Padding = 1), ELU, MaxPool2d(2)]
[Conv2d(64, 3, Padding = 1), ELU, MaxPool2d(2)]
[Flatten]
[Stage("Classifier")]
[Linear("NumClasses")]   // in_features = 64·16·16 = 16384, inferred at compile time
public partial class SevenClassNet;
