using Xunit;
using ZooPredict;

namespace ModelDsl.Samples.Tests;

/// <summary>
/// samples/ZooPredict as a user without network meets it (this machine has none): the download's failure names the URL and
/// says how to install the file by hand; a file that is not the published one is named; a model the zoo lacks lists the zoo.
/// (The path that loads weights and prints classes runs in ModelDsl.Interop.Tests' PretrainedTests against a loopback server.)
/// </summary>
public class ZooPredictTests
{
    [Fact]
    public void Offline_the_sample_names_the_weights_url_and_how_to_install_them_by_hand()
    {
        string home = Directory.CreateTempSubdirectory("modeldsl-home-").FullName;
        string? previous = Environment.GetEnvironmentVariable("MODELDSL_HOME");
        Environment.SetEnvironmentVariable("MODELDSL_HOME", home);
        try
        {
            var (code, output, errors) = Run("image.png", "ResNet18", null, "http://127.0.0.1:9/models/");
            Assert.Equal(1, code);
            Assert.Contains("Could not download ResNet18's weights from http://127.0.0.1:9/models/resnet18-f37072fd.pth", errors);
            Assert.Contains($"put it into '{Path.Combine(home, "weights")}'", errors);
            Assert.Empty(output);

            string wrong = Path.Combine(home, "resnet18-f37072fd.pth");
            File.WriteAllBytes(wrong, new byte[] { 80, 75, 3, 4 });
            (code, _, errors) = Run("image.png", "ResNet18", wrong, null);
            Assert.Equal(1, code);
            Assert.Contains($"'{wrong}' is not ResNet18's published weights (resnet18-f37072fd.pth)", errors);

            (code, _, errors) = Run("image.png", "ResNet19", null, null);
            Assert.Equal(2, code);
            Assert.Contains("no zoo model 'ResNet19'; the zoo's: ResNet18, ResNet34", errors);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MODELDSL_HOME", previous);
            Directory.Delete(home, recursive: true);
        }
    }

    private static (int Code, string Output, string Errors) Run(string image, string model, string? weights, string? mirror)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = PredictJob.Run(image, model, weights, mirror, 5, output, errors);
        return (code, output.ToString(), errors.ToString());
    }
}
