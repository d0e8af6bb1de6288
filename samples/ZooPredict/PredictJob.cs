using System.Reflection;
using ModelDsl.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ZooPredict;

/// <summary>Loads the named zoo model with its published weights (<c>X.Pretrained</c>) and prints the image's top classes.</summary>
public static class PredictJob
{
    /// <summary>The zoo's models with published weights.</summary>
    public static IEnumerable<string> Models => TorchvisionWeights.All.Select(w => w.Model);

    public static int Run(string imagePath, string modelName, string? weightsPath, string? mirror, int top, TextWriter console, TextWriter errors)
    {
        var type = typeof(ResNet18).Assembly.GetType("ModelDsl.Zoo." + modelName);
        if (type is null || !Models.Contains(modelName))
        {
            errors.WriteLine($"error: no zoo model '{modelName}'; the zoo's: {string.Join(", ", Models)}.");
            return 2;
        }
        if (top < 1)
        {
            errors.WriteLine("error: --top must be at least 1.");
            return 2;
        }
        try
        {
            var pretrained = type.GetMethod("Pretrained", new[] { typeof(string), typeof(Uri) })!;
            using var model = (nn.Module<Tensor, Tensor>)pretrained.Invoke(null, new object?[] { weightsPath, mirror is null ? null : new Uri(mirror) })!;
            var weights = (PretrainedWeights)type.GetProperty("Weights")!.GetValue(null)!;
            console.WriteLine($"{modelName} with {weights.TorchvisionName} ({weights.Top1:F1} % top-1 on ImageNet), {imagePath}:");
            foreach (var score in model.Predict(imagePath, top))
                console.WriteLine($"  {score.Probability,7:P1}  {score.Name} (class {score.Index})");
            return 0;
        }
        catch (TargetInvocationException e) when (e.InnerException is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            errors.WriteLine($"error: {e.InnerException.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            errors.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
