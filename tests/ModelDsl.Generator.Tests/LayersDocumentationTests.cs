using System.Text.RegularExpressions;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// docs/LAYERS.md lists every layer attribute the runtime defines — in the chain table with its PyTorch name, and in the
/// "From PyTorch" index a user searches when a PyTorch name is a bare CS0246 — so no layer exists undocumented.
/// </summary>
public class LayersDocumentationTests
{
    private static readonly string Page = File.ReadAllText(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../..", "docs", "LAYERS.md")));

    public static TheoryData<string> Layers => new(typeof(LayerAttribute).Assembly.GetTypes()
        .Where(t => t.IsPublic && !t.IsAbstract && typeof(LayerAttribute).IsAssignableFrom(t))
        .Select(t => t.Name[..^"Attribute".Length]).Order(StringComparer.Ordinal));

    private static string Section(string heading)
    {
        int start = Page.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"LAYERS.md has no section '{heading}'");
        int end = Page.IndexOf("\n#", start + heading.Length, StringComparison.Ordinal);
        return Page[start..(end < 0 ? Page.Length : end)];
    }

    /// <summary>`Kind`, `Kind(…)` or `Kind("…")` as written in a table cell.</summary>
    private static bool Names(string text, string kind) => Regex.IsMatch(text, $"`{Regex.Escape(kind)}(\\(|`)");

    [Theory]
    [MemberData(nameof(Layers))]
    public void Every_layer_attribute_is_documented_with_its_PyTorch_name(string kind)
    {
        var rows = Page.Split('\n').Where(l => l.StartsWith('|') && Names(l, kind)).ToList();
        Assert.True(rows.Count > 0, $"[{kind}] appears in no table of docs/LAYERS.md");
        Assert.True(Names(Section("### From PyTorch"), kind), $"[{kind}] is missing from LAYERS.md's \"From PyTorch\" index");
    }

    [Fact]
    public void The_chain_table_names_a_PyTorch_module_in_every_row()
    {
        var table = Section("## The chain vocabulary").Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();
        Assert.Contains("| attribute | arguments (defaults) | PyTorch name |", Section("## The chain vocabulary"));
        Assert.All(table, row => Assert.True(row.Split('|')[3].Contains('`'), $"no PyTorch name in: {row}"));
    }
}
