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
    /// <summary>
    /// DESIGN.md §2b's U-Net (samples/CourseModels/DigitUNet.cs) the way a TorchSharp user writes it: one
    /// Sequential per level, the skips kept in locals, torch.cat on channels, a dispose scope for the
    /// intermediates. Fields are declared in the generated model's parameter order so weights copy across.
    /// </summary>
    public sealed class DigitUNet : Module<Tensor, Tensor>
    {
        private readonly Sequential down1 = Sequential(Conv2d(1, 16, 3, padding: 1), ReLU(), Conv2d(16, 16, 3, padding: 1), ReLU());
        private readonly Sequential down2 = Sequential(Conv2d(16, 32, 3, padding: 1), ReLU());
        private readonly Sequential bottom = Sequential(Conv2d(32, 64, 3, padding: 1), ReLU());
        private readonly ConvTranspose2d up2 = ConvTranspose2d(64, 32, 2, stride: 2);
        private readonly Sequential merge2 = Sequential(Conv2d(64, 32, 3, padding: 1), ReLU());
        private readonly ConvTranspose2d up1 = ConvTranspose2d(32, 16, 2, stride: 2);
        private readonly Sequential merge1 = Sequential(Conv2d(32, 16, 3, padding: 1), ReLU(), Conv2d(16, 11, 1));
        private readonly MaxPool2d pool = MaxPool2d(2);

        public DigitUNet() : base(nameof(DigitUNet)) => RegisterComponents();

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var skip1 = down1.forward(x);
            var skip2 = down2.forward(pool.forward(skip1));
            var deep = bottom.forward(pool.forward(skip2));
            var level2 = merge2.forward(cat(new[] { up2.forward(deep), skip2 }, 1));
            var level1 = merge1.forward(cat(new[] { up1.forward(level2), skip1 }, 1));
            return level1.MoveToOuterDisposeScope();
        }
    }

    /// <summary>
    /// torchvision's BasicBlock written by hand the usual TorchSharp way: fields registered by RegisterComponents, the
    /// residual added in forward (the yardstick for the zoo's generated graph block).
    /// </summary>
    public sealed class BasicBlock : Module<Tensor, Tensor>
    {
        // Declared in torchvision's order: RegisterComponents registers fields in declaration order.
        private readonly Conv2d conv1;
        private readonly BatchNorm2d bn1;
        private readonly Conv2d conv2;
        private readonly BatchNorm2d bn2;
        private readonly Sequential? downsample;

        public BasicBlock(long inChannels, long outChannels, long stride) : base(nameof(BasicBlock))
        {
            conv1 = Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
            bn1 = BatchNorm2d(outChannels);
            conv2 = Conv2d(outChannels, outChannels, 3, padding: 1, bias: false);
            bn2 = BatchNorm2d(outChannels);
            if (stride != 1 || inChannels != outChannels)
                downsample = Sequential(Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), BatchNorm2d(outChannels));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var y = functional.relu(bn1.forward(conv1.forward(x)));
            y = bn2.forward(conv2.forward(y));
            var shortcut = downsample is null ? x : downsample.forward(x);
            return functional.relu(y + shortcut).MoveToOuterDisposeScope();
        }
    }

    /// <summary>torchvision's resnet18 written by hand (stem, four stages of two BasicBlocks, pool, fc).</summary>
    public sealed class ResNet18 : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1 = Conv2d(3, 64, 7, stride: 2, padding: 3, bias: false);
        private readonly BatchNorm2d bn1 = BatchNorm2d(64);
        private readonly MaxPool2d maxpool = MaxPool2d(3, stride: 2, padding: 1);
        private readonly Sequential layer1 = Sequential(new BasicBlock(64, 64, 1), new BasicBlock(64, 64, 1));
        private readonly Sequential layer2 = Sequential(new BasicBlock(64, 128, 2), new BasicBlock(128, 128, 1));
        private readonly Sequential layer3 = Sequential(new BasicBlock(128, 256, 2), new BasicBlock(256, 256, 1));
        private readonly Sequential layer4 = Sequential(new BasicBlock(256, 512, 2), new BasicBlock(512, 512, 1));
        private readonly AdaptiveAvgPool2d avgpool = AdaptiveAvgPool2d(1);
        private readonly Linear fc = Linear(512, 1000);

        public ResNet18() : base(nameof(ResNet18)) => RegisterComponents();

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var y = maxpool.forward(functional.relu(bn1.forward(conv1.forward(x))));
            y = layer4.forward(layer3.forward(layer2.forward(layer1.forward(y))));
            return fc.forward(avgpool.forward(y).flatten(1)).MoveToOuterDisposeScope();
        }
    }
}
