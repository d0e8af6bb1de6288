using System.Runtime.CompilerServices;
using ModelDsl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Zoo;

/// <summary>One class of a prediction: its index in the model's output, its name and its softmax probability.</summary>
public sealed record ClassScore(int Index, string Name, double Probability);

/// <summary>
/// Single-image prediction with a zoo model: the image decoded, preprocessed as its weights were trained (resize of the shorter
/// side with antialiasing as PIL resizes, centre crop, [0, 1], per-channel normalisation), one eval forward without gradients,
/// the top classes by softmax probability with their ImageNet names.
/// </summary>
public static class ZooPrediction
{
    private static readonly ConditionalWeakTable<nn.Module, PretrainedWeights> s_weights = new();

    internal static void Remember(nn.Module model, PretrainedWeights weights) => s_weights.AddOrUpdate(model, weights);

    /// <summary>The top <paramref name="top"/> classes of the image at <paramref name="imagePath"/>, for a model loaded with <c>Pretrained(…)</c>.</summary>
    public static IReadOnlyList<ClassScore> Predict(this nn.Module<Tensor, Tensor> model, string imagePath, int top = 5)
    {
        if (!s_weights.TryGetValue(model, out var weights))
            throw new InvalidOperationException($"This {model.GetType().Name} was not loaded with Pretrained(…), so its preprocessing and class names are not known; "
                + "pass its PretrainedWeights: model.Predict(path, TorchvisionWeights.X).");
        return model.Predict(imagePath, weights, top);
    }

    /// <summary>The top <paramref name="top"/> classes of the image at <paramref name="imagePath"/>, preprocessed as <paramref name="weights"/> say.</summary>
    public static IReadOnlyList<ClassScore> Predict(this nn.Module<Tensor, Tensor> model, string imagePath, PretrainedWeights weights, int top = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        using var scope = NewDisposeScope();
        var image = Preprocess(imagePath, weights.Preprocessing);
        bool training = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            var device = model.parameters().FirstOrDefault()?.device ?? CPU;
            var logits = model.call(image.to(device));
            if (logits.shape.Length != 2 || logits.shape[1] != weights.Categories.Count)
                throw new InvalidOperationException($"{model.GetType().Name} gives [{string.Join(", ", logits.shape)}]; {weights.Model}'s classes are {weights.Categories.Count}.");
            var probabilities = logits.softmax(1)[0].cpu();
            var (values, indices) = probabilities.topk(Math.Min(top, weights.Categories.Count));
            var p = values.data<float>().ToArray();
            var k = indices.data<long>().ToArray();
            return k.Select((index, i) => new ClassScore((int)index, weights.Categories[(int)index], p[i])).ToList();
        }
        finally
        {
            model.train(training);
        }
    }

    /// <summary>
    /// The 1×3×crop×crop tensor the weights expect from the image at <paramref name="imagePath"/> (torchvision's
    /// ImageClassification preset: resize the shorter side, crop the centre, scale to [0, 1], normalise).
    /// </summary>
    public static Tensor Preprocess(string imagePath, ImagePreprocessing preprocessing)
    {
        if (!File.Exists(imagePath)) throw new FileNotFoundException($"No image at '{Path.GetFullPath(imagePath)}'.", imagePath);
        DecodedImage decoded;
        try
        {
            decoded = ImageDecoders.Default.Decode(File.ReadAllBytes(imagePath), 3);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{Path.GetFullPath(imagePath)}' is not an image the decoders read (PNG, JPEG, BMP): {e.Message}", e);
        }
        using var scope = NewDisposeScope();
        var x = tensor(decoded.Pixels, new long[] { decoded.Height, decoded.Width, 3 }).permute(2, 0, 1).unsqueeze(0).to_type(ScalarType.Float32).div_(255);
        // The shorter side to ResizeSize, the other in proportion (torchvision truncates the long side).
        long h = decoded.Height, w = decoded.Width, s = preprocessing.ResizeSize;
        var size = h <= w ? new[] { s, (long)(s * (double)w / h) } : new[] { (long)(s * (double)h / w), s };
        var mode = preprocessing.Interpolation == ImageInterpolation.Bicubic ? InterpolationMode.Bicubic : InterpolationMode.Bilinear;
        var resized = nn.functional.interpolate(x, size, mode: mode, align_corners: false, antialias: true);
        if (mode == InterpolationMode.Bicubic) resized = resized.clamp(0, 1);
        long c = preprocessing.CropSize;
        long top = (long)Math.Round((size[0] - c) / 2.0), left = (long)Math.Round((size[1] - c) / 2.0);
        var cropped = resized.narrow(2, Math.Max(top, 0), Math.Min(c, size[0])).narrow(3, Math.Max(left, 0), Math.Min(c, size[1]));
        var mean = tensor(preprocessing.Mean).reshape(1, 3, 1, 1);
        var std = tensor(preprocessing.Std).reshape(1, 3, 1, 1);
        return ((cropped - mean) / std).contiguous().MoveToOuterDisposeScope();
    }
}
