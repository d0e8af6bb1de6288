using System.Text.RegularExpressions;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// docs/DATA.md's snippets are the API as it is: each ```csharp block compiles against the runtime (its own
/// <c>using</c> lines on top, the rest as a method body), so a renamed type or argument breaks this test, not a reader.
/// </summary>
public class DataDocumentationTests
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));

    private const string Usings = "using System;\nusing ModelDsl;\nusing ModelDsl.Data;\nusing ModelDsl.Augmentation;\nusing ModelDsl.Training;\nusing TorchSharp;\n";

    public static TheoryData<int> Snippets => new(Enumerable.Range(0, Blocks().Count));

    private static List<string> Blocks()
    {
        string page = File.ReadAllText(Path.Combine(Root, "docs", "DATA.md"));
        return Regex.Matches(page, "```csharp\n(.*?)\n```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
    }

    [Fact]
    public void The_page_has_a_snippet_for_every_kind_of_data()
    {
        var all = string.Join("\n", Blocks());
        foreach (var api in new[] { "BundledData.LoadMnist", "MnistDataset.Load", "Cifar10Dataset.Load", "ImageFolderDataset", "StratifiedSplit", "TensorDataset",
                                    "new DataLoader", "Compose", "ChannelStats.Compute", "Normalize", "SegmentationFolderDataset", "DetectionDataset.FromYolo", "new Learner" })
            Assert.Contains(api, all);
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Each_snippet_compiles_against_the_runtime(int index)
    {
        var lines = Blocks()[index].Split('\n');
        var usings = lines.TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal) && l.TrimEnd().EndsWith(';') && !l.Contains('='))
            .Where(l => !l.StartsWith("using var", StringComparison.Ordinal)).ToList();
        string body = string.Join("\n", lines.Skip(usings.Count));
        string source = Usings + string.Join("\n", usings) + $"\npublic static class DataSnippet{index}\n{{\n    public static void Run()\n    {{\n{body}\n    }}\n}}\n";
        var run = GeneratorHarness.Run(source);
        var errors = run.CompilationDiagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, $"snippet {index} of docs/DATA.md does not compile:\n{string.Join("\n", errors)}\n{source}");
    }
}
