using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Reports;

public static partial class Plots
{
    /// <summary>
    /// Every convolution's feature maps for one image, as the course shows each conv layer's output: the model runs once in
    /// eval mode without gradients, a forward hook keeps each <c>Conv2d</c>'s output (in a block or stage too), and each is
    /// drawn by <see cref="FeatureMaps"/> into <paramref name="folder"/> as <c>NN-path.png</c> (in forward order), titled with
    /// the layer's state_dict path and shape. <c>image</c> is one image, C×H×W or 1×C×H×W, preprocessed as the model expects.
    /// Returns the files written.
    /// </summary>
    public static IReadOnlyList<string> AllFeatureMaps(nn.Module<Tensor, Tensor> model, Tensor image, string folder, int maxChannels = 64, int cellSize = 96)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(image);
        if (!(image.dim() == 3 || image.dim() == 4 && image.shape[0] == 1))
            throw new ArgumentException($"Plots.AllFeatureMaps: expected one image C×H×W (or 1×C×H×W), got [{string.Join(", ", image.shape)}].", nameof(image));
        Directory.CreateDirectory(folder);
        var outputs = new List<(string Path, Tensor Output)>();
        var hooks = new List<Action>();
        foreach (var (path, module) in model.named_modules())
        {
            if (module is not TorchSharp.Modules.Conv2d conv) continue;
            string name = path;
            var handle = conv.register_forward_hook((_, _, output) =>
            {
                outputs.Add((name, output.detach().cpu().clone().DetachFromDisposeScope()));
                return output;
            });
            hooks.Add(handle.remove);
        }
        if (hooks.Count == 0) throw new ArgumentException($"{model.GetType().Name} has no Conv2d layer to show.", nameof(model));
        bool training = model.training;
        var files = new List<string>();
        try
        {
            model.eval();
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                var device = model.parameters().FirstOrDefault()?.device ?? CPU;
                _ = model.call((image.dim() == 3 ? image.unsqueeze(0) : image).to(device));
            }
            for (int i = 0; i < outputs.Count; i++)
            {
                var (name, output) = outputs[i];
                string file = System.IO.Path.Combine(folder, $"{i + 1:D2}-{string.Join("_", name.Split(System.IO.Path.GetInvalidFileNameChars()))}.png");
                files.Add(FeatureMaps(output, file, maxChannels, cellSize, name));
            }
        }
        finally
        {
            foreach (var remove in hooks) remove();
            foreach (var (_, output) in outputs) output.Dispose();
            model.train(training);
        }
        return files;
    }
}
