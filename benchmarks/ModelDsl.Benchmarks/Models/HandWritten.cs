using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ModelDsl.Benchmarks.Models;

/// <summary>
/// The course's nets written by hand the idiomatic TorchSharp way (Sequential stages, flatten in
/// forward): the baseline the generated modules are measured against.
/// </summary>
public static class HandWritten
{
    public sealed class CifarCnn : Module<Tensor, Tensor>
    {
        private readonly Sequential features, classifier;

        public CifarCnn() : base(nameof(CifarCnn))
        {
            features = Sequential(
                Conv2d(3, 32, 3, padding: 1), BatchNorm2d(32), ReLU(), Conv2d(32, 64, 3, padding: 1), ReLU(), MaxPool2d(2),
                Conv2d(64, 128, 3, padding: 1), BatchNorm2d(128), ReLU(), Conv2d(128, 128, 3, padding: 1), ReLU(), MaxPool2d(2), Dropout2d(0.05),
                Conv2d(128, 256, 3, padding: 1), BatchNorm2d(256), ReLU(), Conv2d(256, 256, 3, padding: 1), ReLU(), MaxPool2d(2));
            classifier = Sequential(Dropout(0.1), Linear(4096, 1024), ReLU(), Linear(1024, 512), ReLU(), Dropout(0.1), Linear(512, 10));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var f = features.forward(x);
            using var flat = f.flatten(1);
            return classifier.forward(flat);
        }
    }

    public sealed class MnistNet : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv = Conv2d(1, 16, 5);
        private readonly MaxPool2d pool = MaxPool2d(2);
        private readonly Linear fc = Linear(2304, 3);

        public MnistNet() : base(nameof(MnistNet)) => RegisterComponents();

        public override Tensor forward(Tensor x)
        {
            using var c = conv.forward(x);
            using var r = functional.relu(c);
            using var p = pool.forward(r);
            using var flat = p.flatten(1);
            return fc.forward(flat);
        }
    }

    public sealed class LeNet5 : Module<Tensor, Tensor>
    {
        private readonly Sequential features, classifier;

        public LeNet5() : base(nameof(LeNet5))
        {
            features = Sequential(Conv2d(1, 6, 5), ReLU(), MaxPool2d(2), Conv2d(6, 16, 5), ReLU(), MaxPool2d(2));
            classifier = Sequential(Linear(256, 120), ReLU(), Linear(120, 84), ReLU(), Linear(84, 10));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var f = features.forward(x);
            using var flat = f.flatten(1);
            return classifier.forward(flat);
        }
    }
}
