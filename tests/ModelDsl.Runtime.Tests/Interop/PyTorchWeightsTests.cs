using ModelDsl.Interop;
using ModelDsl.Runtime.Tests.Training;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;
using static ModelDsl.Runtime.Tests.Training.TrainingTestUtil;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Interop;

/// <summary>SaveForPyTorch / LoadFromPyTorch in .NET alone: both formats, buffers, the checks and the name map (PyTorchInteropTests runs real PyTorch).</summary>
public class PyTorchWeightsTests
{
    /// <summary>A BatchNorm model whose running statistics and batch counter are no longer the initial ones.</summary>
    private static BatchNormNet TrainedBatchNormNet(int seed)
    {
        torch.manual_seed(seed);
        var model = new BatchNormNet();
        model.train();
        using (no_grad())
            for (int i = 0; i < 3; i++)
            {
                using var scope = NewDisposeScope();
                model.call(randn(4, 1, 8, 8));
            }
        return model;
    }

    [Theory]
    [InlineData("weights.pt")]
    [InlineData("weights.safetensors")]
    public void Parameters_and_buffers_survive_the_round_trip_bit_for_bit(string file)
    {
        var dir = TempDir();
        try
        {
            using var source = TrainedBatchNormNet(1);
            Assert.Equal(3L, source.state_dict()["Features.BatchNorm1.num_batches_tracked"].item<long>());
            var path = Path.Combine(dir, file);
            source.SaveForPyTorch(path);
            Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(dir).Select(Path.GetFileName)); // no temporary left behind

            using var target = TrainedBatchNormNet(2);
            var result = target.LoadFromPyTorch(path);
            var names = source.state_dict().Keys.ToList();
            Assert.Equal(names.Order(), result.Loaded.Order());
            Assert.Empty(result.Missing);
            Assert.Empty(result.Unexpected);
            Assert.Contains("Features.BatchNorm1.running_mean", names);
            Assert.Contains("Features.BatchNorm1.running_var", names);
            foreach (var (name, tensor) in source.state_dict())
            {
                var loaded = target.state_dict()[name];
                Assert.Equal(tensor.dtype, loaded.dtype);
                Assert.True(Same(tensor, loaded), name);
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Saving_again_replaces_the_file_atomically()
    {
        var dir = TempDir();
        try
        {
            var path = Path.Combine(dir, "w.pt");
            using var first = TrainedBatchNormNet(1);
            using var second = TrainedBatchNormNet(2);
            first.SaveForPyTorch(path);
            second.SaveForPyTorch(path);
            Assert.Single(Directory.GetFiles(dir));
            using var target = new BatchNormNet();
            target.LoadFromPyTorch(path);
            Assert.True(Same(second.state_dict()["Features.Conv1.weight"], target.state_dict()["Features.Conv1.weight"]));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void An_unknown_extension_is_refused_naming_the_path()
    {
        using var model = new BatchNormNet();
        var e = Assert.Throws<ArgumentException>(() => model.SaveForPyTorch("/tmp/weights.ckpt"));
        Assert.Contains("/tmp/weights.ckpt", e.Message);
        Assert.Contains(".safetensors", e.Message);
    }

    /// <summary>
    /// A state dict (written in torch.save's format) with one tensor missing, one renamed and one mis-shaped:
    /// one exception names all four differences (the renamed one is missing under its old name and unexpected
    /// under its new one), and the model keeps every value it had.
    /// </summary>
    [Fact]
    public void Missing_renamed_and_misshaped_tensors_are_refused_each_named()
    {
        var dir = TempDir();
        try
        {
            using var source = TrainedBatchNormNet(1);
            var path = Path.Combine(dir, "broken.pt");
            using (var scope = NewDisposeScope())
            {
                var state = source.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
                state.Remove("Features.BatchNorm1.running_var");                         // missing
                state["Head.Linear1.wieght"] = state["Head.Linear1.weight"];              // renamed
                state.Remove("Head.Linear1.weight");
                state["Features.Conv1.bias"] = zeros(5);                                  // mis-shaped: the conv has 4 channels
                PyTorchPickler.PickleStateDict(path, state);
            }
            using var target = new BatchNormNet();
            var before = target.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

            var e = Assert.Throws<PyTorchWeightsMismatchException>(() => target.LoadFromPyTorch(path));
            Assert.Equal(["Features.BatchNorm1.running_var [4]", "Head.Linear1.weight [3, 64]"], e.Missing.Order());
            Assert.Equal(["Head.Linear1.wieght [3, 64]"], e.Unexpected);
            Assert.Equal(["Features.Conv1.bias: PyTorch [5] vs model [4]"], e.Misshaped);
            foreach (var line in e.Missing.Concat(e.Unexpected).Concat(e.Misshaped)) Assert.Contains(line, e.Message);
            Assert.Contains(path, e.Message);
            Assert.Contains("4 difference(s)", e.Message);
            foreach (var (name, tensor) in target.state_dict()) Assert.True(Same(before[name], tensor), $"{name} changed by a refused load");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Non_strict_loading_reports_missing_and_unexpected_but_still_refuses_a_misshaped_tensor()
    {
        var dir = TempDir();
        try
        {
            using var source = TrainedBatchNormNet(1);
            var partial = Path.Combine(dir, "partial.pt");
            var misshaped = Path.Combine(dir, "misshaped.pt");
            using (var scope = NewDisposeScope())
            {
                var state = source.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
                state.Remove("Head.Linear1.weight");
                state.Remove("Head.Linear1.bias");
                state["extra.weight"] = ones(2);
                PyTorchPickler.PickleStateDict(partial, state);
                state["Features.Conv1.bias"] = zeros(5);
                PyTorchPickler.PickleStateDict(misshaped, state);
            }
            using var target = new BatchNormNet();
            var headBefore = target.state_dict()["Head.Linear1.weight"].detach().clone();
            var result = target.LoadFromPyTorch(partial, strict: false);
            Assert.Equal(["Head.Linear1.bias [3]", "Head.Linear1.weight [3, 64]"], result.Missing.Order());
            Assert.Equal(["extra.weight [2]"], result.Unexpected);
            Assert.True(Same(source.state_dict()["Features.Conv1.weight"], target.state_dict()["Features.Conv1.weight"]));
            Assert.True(Same(headBefore, target.state_dict()["Head.Linear1.weight"]));

            var e = Assert.Throws<PyTorchWeightsMismatchException>(() => target.LoadFromPyTorch(misshaped, strict: false));
            Assert.Equal(["Features.Conv1.bias: PyTorch [5] vs model [4]"], e.Misshaped);
            Assert.Empty(e.Missing);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>A torchvision-style numbered Sequential (features.0, features.1 = BatchNorm, head.2) mapped by position, by prefix and by exact name.</summary>
    [Fact]
    public void A_name_map_renames_by_position_by_prefix_and_by_exact_name()
    {
        var dir = TempDir();
        try
        {
            using var source = TrainedBatchNormNet(1);
            var sd = source.state_dict();
            var path = Path.Combine(dir, "torchvision-style.pt");
            using (var scope = NewDisposeScope())
            {
                var state = new Dictionary<string, Tensor>
                {
                    ["features.0.weight"] = sd["Features.Conv1.weight"], ["features.0.bias"] = sd["Features.Conv1.bias"],
                    ["features.1.weight"] = sd["Features.BatchNorm1.weight"], ["features.1.bias"] = sd["Features.BatchNorm1.bias"],
                    ["features.1.running_mean"] = sd["Features.BatchNorm1.running_mean"], ["features.1.running_var"] = sd["Features.BatchNorm1.running_var"],
                    ["features.1.num_batches_tracked"] = sd["Features.BatchNorm1.num_batches_tracked"],
                    ["head.2.weight"] = sd["Head.Linear1.weight"], ["head_bias"] = sd["Head.Linear1.bias"],
                    ["aux.weight"] = ones(7),
                };
                PyTorchPickler.PickleStateDict(path, state);
            }
            using var target = new BatchNormNet();
            var map = new PyTorchNameMap { ["head_bias"] = "Head.Linear1.bias" }
                .Sequential("features", "Features")
                .Prefix("head.2", "Head.Linear1")
                .Skip("aux");
            var result = target.LoadFromPyTorch(path, map);
            Assert.Equal(["aux.weight"], result.Skipped);
            foreach (var (name, tensor) in sd) Assert.True(Same(tensor, target.state_dict()[name]), name);

            // Without the map every name differs: all nine model tensors are named as missing, all ten file tensors as unexpected.
            var e = Assert.Throws<PyTorchWeightsMismatchException>(() => new BatchNormNet().LoadFromPyTorch(path));
            Assert.Equal(9, e.Missing.Count);
            Assert.Equal(10, e.Unexpected.Count);
            Assert.Contains("features.1.running_var [4]", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_sequential_rule_whose_layer_counts_differ_is_named_with_both_lists()
    {
        var dir = TempDir();
        try
        {
            var path = Path.Combine(dir, "three.pt");
            using (var scope = NewDisposeScope())
                PyTorchPickler.PickleStateDict(path, new Dictionary<string, Tensor>
                {
                    ["features.0.weight"] = zeros(4, 1, 3, 3), ["features.2.weight"] = zeros(4), ["features.5.weight"] = zeros(4),
                });
            using var target = new BatchNormNet();
            var e = Assert.Throws<PyTorchWeightsMismatchException>(() => target.LoadFromPyTorch(path, new PyTorchNameMap().Sequential("features", "Features"), strict: false));
            var problem = Assert.Single(e.MapProblems);
            Assert.Contains("features.0, features.2, features.5", problem);
            Assert.Contains("Features.Conv1, Features.BatchNorm1", problem);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_file_that_is_not_pytorch_weights_is_refused_naming_the_file()
    {
        var dir = TempDir();
        try
        {
            using var model = new BatchNormNet();
            var text = Path.Combine(dir, "notes.pt");
            File.WriteAllText(text, "these are not weights");
            var e = Assert.Throws<PyTorchWeightsFormatException>(() => model.LoadFromPyTorch(text));
            Assert.Contains(text, e.Message);
            Assert.Contains("neither torch.save's zip archive nor safetensors", e.Message);

            var legacy = Path.Combine(dir, "legacy.pt");
            File.WriteAllBytes(legacy, [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20]);
            Assert.Contains("legacy format", Assert.Throws<PyTorchWeightsFormatException>(() => model.LoadFromPyTorch(legacy)).Message);

            var good = Path.Combine(dir, "good.pt");
            model.SaveForPyTorch(good);
            var bytes = File.ReadAllBytes(good);
            var truncated = Path.Combine(dir, "truncated.pt");
            File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
            var t = Assert.Throws<PyTorchWeightsFormatException>(() => model.LoadFromPyTorch(truncated));
            Assert.Contains(truncated, t.Message);

            Assert.Throws<FileNotFoundException>(() => model.LoadFromPyTorch(Path.Combine(dir, "absent.pt")));
        }
        finally { Directory.Delete(dir, true); }
    }
}
