using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit;

namespace ModelDsl.Package.Tests;

/// <summary>
/// ModelDsl's diagnostics in a real editor: csharp-ls (a Roslyn-based language server, the tool .ci/run installs) loads a
/// fresh console app consuming the packed ModelDsl, and this test drives it as an editor does — open a file with a shape
/// error, pull its diagnostics, edit it right, pull again. It needs csharp-ls's analyzers on
/// (<c>csharp.analyzersEnabled</c>): MDSL diagnostics come from ModelDsl's analyzer, which is where language servers
/// look (they never ask source generators).
/// </summary>
public sealed class LanguageServerTests
{
    private const string CsharpLsVersion = "0.28.0";
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    private const string Program = """
        using Consumer;

        var net = new SevenClassNet();
        System.Console.WriteLine($"{SevenClassNet.ParameterCount} {SevenClassNet.OutputShape} {net.Conv1}");
        """;

    /// <summary>csharp-ls as installed by .ci/run (a global .NET tool), or where MODELDSL_CSHARP_LS points.</summary>
    private static string? FindCsharpLs()
    {
        if (Environment.GetEnvironmentVariable("MODELDSL_CSHARP_LS") is { Length: > 0 } given) return File.Exists(given) ? given : null;
        var global = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "csharp-ls");
        if (File.Exists(global)) return global;
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "csharp-ls")).FirstOrDefault(File.Exists);
    }

    [Fact]
    public async Task Csharp_ls_shows_MDSL0002_on_the_argument_clears_it_after_the_fix_and_never_a_CS0117()
    {
        var server = FindCsharpLs();
        Assert.True(server is not null,
            $"csharp-ls is not installed: `dotnet tool install --global csharp-ls --version {CsharpLsVersion}` (.ci/run does it), or set MODELDSL_CSHARP_LS.");
        await using var consumer = await PackedConsumer.CreateAsync(new Dictionary<string, string>
        {
            ["SevenClassNet.cs"] = ConsumerModel.Source(ConsumerModel.BrokenLinear),
            ["Program.cs"] = Program,
        });
        string modelUri = new Uri(Path.Combine(consumer.App, "SevenClassNet.cs")).AbsoluteUri;
        string programUri = new Uri(Path.Combine(consumer.App, "Program.cs")).AbsoluteUri;

        await using var lsp = LspClient.Start(server!, consumer.App, new JsonObject { ["analyzersEnabled"] = true });
        await lsp.RequestAsync("initialize", new JsonObject
        {
            ["processId"] = Environment.ProcessId,
            ["rootUri"] = new Uri(consumer.App).AbsoluteUri,
            ["capabilities"] = new JsonObject
            {
                ["workspace"] = new JsonObject { ["configuration"] = true },
                ["textDocument"] = new JsonObject { ["diagnostic"] = new JsonObject { ["dynamicRegistration"] = false } },
            },
        }, Bound);
        await lsp.NotifyAsync("initialized", new JsonObject());
        await lsp.NotifyAsync("workspace/didChangeConfiguration", new JsonObject { ["settings"] = new JsonObject { ["csharp"] = lsp.Settings.DeepClone() } });

        var clock = Stopwatch.StartNew();
        await Open(lsp, modelUri, ConsumerModel.Source(ConsumerModel.BrokenLinear));
        await Open(lsp, programUri, Program);
        var shown = await PullUntil(lsp, modelUri, items => items.Any(d => Code(d) == "MDSL0002"), "MDSL0002 on SevenClassNet.cs");
        var openToDiagnostic = clock.Elapsed;

        // On the InFeatures argument, where the build reports it (LSP counts lines and characters from 0).
        var d = shown.Single(x => Code(x) == "MDSL0002");
        int line = ConsumerModel.LinearLine - 1, start = ConsumerModel.InFeaturesColumn - 1;
        Assert.Equal((line, start, line, start + "InFeatures = 4096".Length), (Int(d, "start", "line"), Int(d, "start", "character"), Int(d, "end", "line"), Int(d, "end", "character")));
        Assert.Contains("declares 4096 input features but receives 16384", d["message"]!.GetValue<string>());
        // The broken model's uses in Program.cs bind: no CS0117 or any other compiler error there.
        var program = await Pull(lsp, programUri);
        Assert.True(!program.Any(x => Code(x).StartsWith("CS") && Int(x, "severity") == 1),
            "compiler errors on Program.cs: " + string.Join("; ", program.Select(x => $"{Code(x)} {x["message"]}")));

        // Edit right, then wrong, then right again: each edit's diagnostics follow it.
        var updates = new List<TimeSpan>();
        int version = 1;
        foreach (var (text, wanted) in new[] { (ConsumerModel.FixedLinear, false), (ConsumerModel.BrokenLinear, true), (ConsumerModel.FixedLinear, false) })
        {
            clock.Restart();
            await lsp.NotifyAsync("textDocument/didChange", new JsonObject
            {
                ["textDocument"] = new JsonObject { ["uri"] = modelUri, ["version"] = ++version },
                ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = ConsumerModel.Source(text) }),
            });
            await PullUntil(lsp, modelUri, items => items.Any(x => Code(x) == "MDSL0002") == wanted, wanted ? "MDSL0002 back" : "MDSL0002 cleared");
            updates.Add(clock.Elapsed);
        }
        var median = updates.OrderBy(t => t).ElementAt(updates.Count / 2);
        string timings = $"csharp-ls {CsharpLsVersion}: open → MDSL0002 {openToDiagnostic.TotalSeconds:F1} s (solution load included); " +
                         $"edit → updated diagnostics {string.Join(", ", updates.Select(t => $"{t.TotalMilliseconds:F0} ms"))} (median {median.TotalMilliseconds:F0} ms)";
        TestContext.Current.SendDiagnosticMessage(timings);
        TestContext.Current.TestOutputHelper?.WriteLine(timings);
        consumer.Succeeded = true;
    }

    private static Task Open(LspClient lsp, string uri, string text) => lsp.NotifyAsync("textDocument/didOpen", new JsonObject
    {
        ["textDocument"] = new JsonObject { ["uri"] = uri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = text },
    });

    private static async Task<List<JsonNode>> Pull(LspClient lsp, string uri)
    {
        var report = await lsp.RequestAsync("textDocument/diagnostic", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = uri } }, Bound);
        return report?["items"]?.AsArray().Select(x => x!).ToList() ?? new List<JsonNode>();
    }

    /// <summary>Pulls the document's diagnostics until <paramref name="done"/> holds (the server loads the solution first), within <see cref="Bound"/>.</summary>
    private static async Task<List<JsonNode>> PullUntil(LspClient lsp, string uri, Func<List<JsonNode>, bool> done, string what)
    {
        var deadline = Stopwatch.StartNew();
        List<JsonNode> last = new();
        while (deadline.Elapsed < Bound)
        {
            last = await Pull(lsp, uri);
            if (done(last)) return last;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{what}: not within {Bound.TotalSeconds:F0} s; last diagnostics: " +
            string.Join("; ", last.Select(x => $"{Code(x)} {x["message"]}")) + $"\nserver stderr:\n{lsp.StandardError}");
    }

    private static string Code(JsonNode d) => d["code"]?.ToString() ?? "";

    private static int Int(JsonNode d, params string[] path)
    {
        JsonNode? n = path.Length == 1 ? d[path[0]] : d["range"];
        if (path.Length > 1) foreach (var p in path) n = n?[p];
        return n?.GetValue<int>() ?? -1;
    }
}
