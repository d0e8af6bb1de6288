using System.Security.Cryptography;
using ModelDsl.Runtime.Tests.Data;
using ModelDsl.Runtime.Tests.Interop;
using ModelDsl.Zoo;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Interop.Tests;

/// <summary>
/// Published weights as a user meets them, offline: a torchvision file (written by Debian's torchvision, named with the start of
/// its SHA-256 as torchvision names its files) served on 127.0.0.1, downloaded into MODELDSL_HOME, checked, loaded strictly;
/// a corrupt or truncated file named and never kept; single-image prediction with torchvision's preprocessing.
/// </summary>
public class PretrainedTests
{
    private const string Script = """
        import sys, torch, torchvision
        from PIL import Image
        import torchvision.transforms.functional as F
        out = sys.argv[1]
        torch.manual_seed(5)
        model = torchvision.models.resnet18(weights=None)
        with torch.no_grad():
            for n, b in model.named_buffers():
                if n.endswith("running_mean"): b.copy_(torch.randn_like(b) * 0.1)
                if n.endswith("running_var"): b.copy_(torch.rand_like(b) * 0.5 + 0.75)
        model.eval()
        torch.save(model.state_dict(), f"{out}/resnet18.pth")
        # An RGB photo-sized image, and torchvision's ImageClassification preprocessing of it on the tensor path (antialiased).
        pixels = (torch.rand(3, 150, 200) * 255).to(torch.uint8)
        Image.fromarray(pixels.permute(1, 2, 0).numpy()).save(f"{out}/image.png")
        x = F.resize(pixels.float() / 255, 256, interpolation=F.InterpolationMode.BILINEAR, antialias=True)
        x = F.center_crop(x, 224)
        x = F.normalize(x, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]).unsqueeze(0)
        with torch.no_grad():
            p = model(x).softmax(1)
        top = p.topk(5)
        torch.save({"input": x, "probabilities": p}, f"{out}/reference.pt")
        print("ok")
        """;

    private static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    [Fact]
    public void Weights_download_into_the_cache_once_are_checked_load_strictly_and_predict_as_torchvision()
    {
        using var folder = new Nets.TempFolder();
        SystemPython.Run(Script, folder.Path, [folder.Path], [SystemPython.Torch, SystemPython.TorchVision]);
        byte[] file = File.ReadAllBytes(folder.File("resnet18.pth"));
        string name = $"resnet18-{Sha256(file)[..8]}.pth";
        byte[] corrupt = (byte[])file.Clone();
        corrupt[corrupt.Length / 2] ^= 0xFF;
        var served = new Dictionary<string, byte[]> { [name] = file };
        string? home = Environment.GetEnvironmentVariable("MODELDSL_HOME");
        Environment.SetEnvironmentVariable("MODELDSL_HOME", folder.File("home"));
        try
        {
            using var server = new LoopbackHttpServer(served);
            var weights = TorchvisionWeights.ResNet18 with { Url = new Uri(server.BaseUrl, name) };
            Assert.Equal(Sha256(file)[..8], weights.Sha256Prefix);

            using var model = WeightsCache.LoadAsync(new ResNet18(), weights).GetAwaiter().GetResult();
            string cached = Path.Combine(folder.File("home"), "weights", name);
            Assert.Equal(file, File.ReadAllBytes(cached));
            Assert.Equal(1, server.Requests);
            Assert.False(model.training);

            // Prediction: the image preprocessed as torchvision does it, the same probabilities, the top five named.
            var reference = PyTorchUnpickler.UnpickleStateDict(folder.File("reference.pt"));
            using var expectedInput = (Tensor)reference["input"]!;
            using var expectedProbabilities = (Tensor)reference["probabilities"]!;
            using (var input = ZooPrediction.Preprocess(folder.File("image.png"), weights.Preprocessing))
                Nets.AssertSame(expectedInput, input, "preprocessing", 1e-4);
            var top = model.Predict(folder.File("image.png"), top: 5);
            var (values, indices) = expectedProbabilities[0].topk(5);
            Assert.Equal(indices.data<long>().ToArray().Select(i => (int)i), top.Select(c => c.Index));
            Assert.Equal(indices.data<long>().ToArray().Select(i => ImageNetClasses.Names[(int)i]), top.Select(c => c.Name));
            for (int i = 0; i < 5; i++) Assert.Equal(values[i].item<float>(), top[i].Probability, 1e-4);

            // A second load reads the cache.
            using (WeightsCache.LoadAsync(new ResNet18(), weights).GetAwaiter().GetResult()) { }
            Assert.Equal(1, server.Requests);

            // A corrupt download is named and never kept; nor is a partial file left behind.
            File.Delete(cached);
            served[name] = corrupt;
            var e = Assert.Throws<InvalidDataException>(() => WeightsCache.LoadAsync(new ResNet18(), weights).GetAwaiter().GetResult());
            Assert.Contains($"Checksum mismatch for {weights.Url}", e.Message);
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(cached)!));

            // A truncated file given by path is named, with its hash and size — through the public API too.
            string truncated = folder.File("resnet18-truncated.pth");
            File.WriteAllBytes(truncated, file[..(file.Length / 3)]);
            var t = Assert.Throws<InvalidDataException>(() => WeightsCache.LoadAsync(new ResNet18(), weights, truncated).GetAwaiter().GetResult());
            Assert.Contains($"'{truncated}' is not ResNet18's published weights ({name})", t.Message);
            var published = Assert.Throws<InvalidDataException>(() => ResNet18.Pretrained(truncated));
            Assert.Contains("resnet18-f37072fd.pth", published.Message);
            // Weights for 1000 classes do not go into a 10-class model.
            var classes = Assert.Throws<ArgumentException>(() => WeightsCache.LoadAsync(new ResNet18(10), weights).GetAwaiter().GetResult());
            Assert.Contains("replace its head", classes.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MODELDSL_HOME", home);
        }
    }

    [Fact]
    public void Every_zoo_model_has_its_published_weights_described_for_its_own_count()
    {
        Assert.Equal(15, TorchvisionWeights.All.Count);
        foreach (var weights in TorchvisionWeights.All)
        {
            var type = typeof(ResNet18).Assembly.GetType("ModelDsl.Zoo." + weights.Model, throwOnError: true)!;
            Assert.Equal((long)type.GetField("ParameterCount")!.GetValue(null)!, weights.ParameterCount);
            Assert.Same(weights, type.GetProperty("Weights")!.GetValue(null));
            Assert.Matches("^[0-9a-f]{8,10}$", weights.Sha256Prefix);
            Assert.StartsWith("https://download.pytorch.org/models/", weights.Url.ToString());
            Assert.InRange(weights.Top1, 50, 90);
        }
        Assert.Equal(1000, ImageNetClasses.Names.Count);
        Assert.Equal("tench", ImageNetClasses.Names[0]);
        Assert.Equal("toilet tissue", ImageNetClasses.Names[999]);
    }
}
