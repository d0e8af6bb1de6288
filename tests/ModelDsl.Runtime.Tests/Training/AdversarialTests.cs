using ModelDsl.Data;
using ModelDsl.Samples;
using ModelDsl.Training;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>
/// The course's "fooling a network": a LeNet-5 trained on the bundled digits, then FGSM and PGD inputs within ε of the
/// originals (L∞, pixels in [0, 1]) that it misclassifies far more often; the model's own gradients untouched.
/// </summary>
public class AdversarialTests
{
    [Fact]
    public void FGSM_and_PGD_stay_within_epsilon_and_fool_a_trained_LeNet()
    {
        Seeding.Everything(7);
        using var digits = BundledData.LoadMnist(train: true);
        using var loader = new DataLoader(digits, 64, shuffle: true, seed: 7);
        using var model = new LeNet5();
        using (var learner = new Learner(model, loader, null, new LearnerOptions { Loss = Loss.CrossEntropy(), Device = CPU, Seed = 7, Writer = TextWriter.Null }))
            learner.FitOneCycle(1, 3e-3);
        model.eval();

        using var test = BundledData.LoadMnist(train: false);
        using var scope = NewDisposeScope();
        var x = test.Images.narrow(0, 0, 400).to_type(ScalarType.Float32).div(255);
        var y = test.Labels.narrow(0, 0, 400);
        double Accuracy(Tensor inputs)
        {
            using var noGrad = no_grad();
            return model.call(inputs).argmax(1).eq(y).to_type(ScalarType.Float32).mean().item<float>();
        }
        double clean = Accuracy(x);
        // The gradients the training left behind, which the attacks must not touch (they differentiate the input alone).
        var gradients = model.parameters().Select(p => p.grad?.clone()).ToList();
        const double epsilon = 0.2;
        var fgsm = Adversarial.Fgsm(model, x, y, epsilon);
        var pgd = Adversarial.Pgd(model, x, y, epsilon, alpha: 0.04, steps: 10, seed: 1);
        foreach (var adversarial in new[] { fgsm, pgd })
        {
            Assert.True((adversarial - x).abs().max().item<float>() <= epsilon + 1e-6);
            Assert.True(adversarial.min().item<float>() >= 0 && adversarial.max().item<float>() <= 1);
        }
        double fooledByFgsm = Accuracy(fgsm), fooledByPgd = Accuracy(pgd);
        Assert.True(clean > 0.85, $"clean accuracy {clean:P1}");
        Assert.True(fooledByFgsm < clean - 0.3, $"clean {clean:P1}, FGSM {fooledByFgsm:P1}");
        Assert.True(fooledByPgd <= fooledByFgsm, $"FGSM {fooledByFgsm:P1}, PGD {fooledByPgd:P1}");
        var after = model.parameters().Select(p => p.grad).ToList();
        for (int i = 0; i < after.Count; i++)
            Assert.True(gradients[i] is null ? after[i] is null : after[i] is { } g && g.eq(gradients[i]!).all().item<bool>(), $"parameter {i} gradient changed");
        Assert.False(model.training);
    }
}
