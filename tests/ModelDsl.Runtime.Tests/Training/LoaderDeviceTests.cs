using ModelDsl.Data;
using ModelDsl.Runtime.Tests.Data;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static ModelDsl.Runtime.Tests.Training.TrainingTestUtil;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>
/// One device for a fit: a loader built without a device takes the learner's (augmentation runs where training runs); one
/// built for another keeps it and the fit says so. CUDA is named, not used: the decision moves no tensor, so it is tested here
/// on the CPU-only machine, and a real CUDA fit runs in benchmarks/gpu.
/// </summary>
[Collection("Training")]
public class LoaderDeviceTests
{
    private static readonly Device Gpu = new("cuda:0");

    [Fact]
    public void A_loader_without_a_device_takes_the_learners_and_a_chosen_one_is_kept_with_a_note()
    {
        var data = new PlainDataset(20);
        var dense = new MemoryDenseData(20);
        foreach (var unchosen in new IEnumerable<Batch>[] { new DataLoader(data, 4), new SegmentationDataLoader(dense, 4), new DetectionDataLoader(dense, 4) })
        {
            Assert.Null(LoaderDevices.Align(unchosen, Gpu, "training"));
            Assert.Equal(DeviceType.CUDA, ((IDeviceLoader)unchosen).Device.type);
        }
        foreach (var chosen in new IEnumerable<Batch>[] { new DataLoader(data, 4, device: CPU), new SegmentationDataLoader(dense, 4, device: CPU) })
        {
            string? note = LoaderDevices.Align(chosen, Gpu, "validation");
            Assert.NotNull(note);
            Assert.StartsWith("The validation loader builds and augments its batches on cpu", note);
            Assert.Contains("the learner trains on cuda", note);
            Assert.Equal(DeviceType.CPU, ((IDeviceLoader)chosen).Device.type);
            Assert.Null(LoaderDevices.Align(chosen, CPU, "validation")); // the same device: nothing to say
        }
        // Not a ModelDsl loader: nothing to align, nothing to say.
        using var synthetic = new SyntheticData(8);
        Assert.Null(LoaderDevices.Align(synthetic.Train(), Gpu, "training"));
    }

    [Fact]
    public void A_learner_gives_its_device_to_both_loaders_and_prints_no_note_when_they_agree()
    {
        using var synthetic = new SyntheticData(24);
        var data = new TensorDataset(synthetic.X, synthetic.Y);
        var train = new DataLoader(data, 8, shuffle: true);
        var valid = new DataLoader(data, 8);
        var output = new StringWriter();
        using var model = new TinyNet();
        using var learner = new Learner(model, train, valid, new LearnerOptions { Device = CPU, Output = OutputMode.Plain, Writer = output, Optimizer = OptimizerSpec.SGD() });
        Assert.False(train.DeviceChosen);
        Assert.Equal(DeviceType.CPU, train.Device.type);
        Assert.Equal(DeviceType.CPU, valid.Device.type);
        learner.Fit(1, 0.01);
        Assert.DoesNotContain("builds and augments its batches", output.ToString());
    }
}
