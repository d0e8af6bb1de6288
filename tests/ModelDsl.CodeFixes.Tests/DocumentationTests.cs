extern alias gen;
using Microsoft.CodeAnalysis.CodeFixes;
using ModelDsl.CodeFixes.Tests.Infrastructure;
using Xunit;
using GenDescriptors = gen::ModelDsl.Generator.Diagnostics.DiagnosticDescriptors;

namespace ModelDsl.CodeFixes.Tests;

/// <summary>The diagnostics pages say which IDs have a code fix; keep them in step with the providers.</summary>
public class DocumentationTests
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));

    [Fact]
    public void Every_page_states_whether_a_code_fix_exists_and_matches_the_providers()
    {
        var fixable = typeof(LinearInFeaturesCodeFixProvider).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
            .SelectMany(t => ((CodeFixProvider)Activator.CreateInstance(t)!).FixableDiagnosticIds)
            .ToHashSet();
        Assert.Equal(9, fixable.Count);
        foreach (var descriptor in GenDescriptors.All)
        {
            string page = File.ReadAllText(Path.Combine(Root, "docs", "diagnostics", descriptor.Id + ".md"));
            Assert.Contains($"| **Code fix** | {(fixable.Contains(descriptor.Id) ? "yes" : "no")} |", page);
        }
    }
}

/// <summary>Each page's failing example produces exactly the messages the page shows, and its fix is clean.</summary>
public class DocumentationExampleTests
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));

    public static TheoryData<string> Ids => new(GenDescriptors.All.Select(d => d.Id).Where(id => id != "MDSL9999"));

    private static List<string> Blocks(string page, string language)
    {
        var blocks = new List<string>();
        int at = 0;
        while ((at = page.IndexOf("```" + language + "\n", at, StringComparison.Ordinal)) >= 0)
        {
            int start = at + language.Length + 4, end = page.IndexOf("\n```", start, StringComparison.Ordinal);
            blocks.Add(page[start..end]);
            at = end + 4;
        }
        return blocks;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Example_produces_the_documented_messages_and_the_fix_compiles_clean(string id)
    {
        string page = File.ReadAllText(Path.Combine(Root, "docs", "diagnostics", id + ".md"));
        var code = Blocks(page, "csharp");
        var expected = Blocks(page, "text")[0].Split("\n\n")[0].Split('\n');

        var (diagnostics, _) = await CodeFixHarness.RunGeneratorAsync(CodeFixHarness.CreateDocument(code[0]).Project);
        var actual = diagnostics.Select(d => $"{d.Severity.ToString().ToLowerInvariant()} {d.Id}: {d.GetMessage()}").ToArray();
        Assert.Equal(expected, actual);

        if (code.Count > 1 && code[1].Contains("partial class", StringComparison.Ordinal))
        {
            var (after, errors) = await CodeFixHarness.RunGeneratorAsync(CodeFixHarness.CreateDocument(code[1]).Project);
            Assert.Empty(after);
            Assert.Empty(errors);
        }
    }
}
