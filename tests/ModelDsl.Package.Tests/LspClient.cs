using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ModelDsl.Package.Tests;

/// <summary>
/// A minimal Language Server Protocol client over a child process's stdin/stdout (JSON-RPC with Content-Length
/// framing; the standard library only): requests with their responses, notifications, and answers to the server's
/// own requests — <c>workspace/configuration</c> gets <see cref="Settings"/> for each item, anything else null.
/// Enough to drive a real server the way an editor does.
/// </summary>
public sealed class LspClient : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly Channel<JsonNode> _responses = Channel.CreateUnbounded<JsonNode>();
    private readonly StringBuilder _stderr = new();
    private readonly Task _reader;
    private int _nextId;

    private LspClient(Process process, JsonObject settings)
    {
        _process = process;
        _input = process.StandardInput.BaseStream;
        Settings = settings;
        _reader = Task.Run(ReadLoop);
    }

    /// <summary>The client's answer to <c>workspace/configuration</c>, e.g. csharp-ls's <c>{"analyzersEnabled": true}</c>.</summary>
    public JsonObject Settings { get; }

    /// <summary>What the server wrote on stderr (for failure messages).</summary>
    public string StandardError { get { lock (_stderr) return _stderr.ToString(); } }

    public static LspClient Start(string server, string workingDirectory, JsonObject settings)
    {
        var psi = new ProcessStartInfo(server)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {server}");
        var client = new LspClient(process, settings);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (client._stderr) client._stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        return client;
    }

    /// <summary>Sends a request and waits for its response's <c>result</c> (an error response throws).</summary>
    public async Task<JsonNode?> RequestAsync(string method, JsonNode? parameters, TimeSpan timeout)
    {
        int id = Interlocked.Increment(ref _nextId);
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var response = await _responses.Reader.ReadAsync(cts.Token);
                if (response["id"]?.GetValue<int>() != id) continue; // a late answer to an abandoned request
                if (response["error"] is { } error) throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
                return response["result"];
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no response to {method} within {timeout.TotalSeconds:F0} s; server stderr:\n{StandardError}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"the server exited during {method}; stderr:\n{StandardError}");
        }
    }

    public Task NotifyAsync(string method, JsonNode? parameters)
        => SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    private readonly SemaphoreSlim _writeLock = new(1, 1);

    private async Task SendAsync(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        await _writeLock.WaitAsync();
        try
        {
            await _input.WriteAsync(header);
            await _input.WriteAsync(body);
            await _input.FlushAsync();
        }
        finally { _writeLock.Release(); }
    }

    private async Task ReadLoop()
    {
        var output = _process.StandardOutput.BaseStream;
        try
        {
            while (true)
            {
                int length = -1;
                string? line;
                while ((line = ReadHeaderLine(output)) is { Length: > 0 })
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line["Content-Length:".Length..].Trim());
                if (line is null || length < 0) break;
                var body = new byte[length];
                await output.ReadExactlyAsync(body);
                var message = JsonNode.Parse(body)!;
                bool hasId = message["id"] is not null, hasMethod = message["method"] is not null;
                if (hasId && hasMethod) await AnswerServerRequest(message);
                else if (hasId) await _responses.Writer.WriteAsync(message);
                // Notifications (logs, progress, pushed diagnostics): this client pulls diagnostics instead.
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or EndOfStreamException) { }
        finally { _responses.Writer.TryComplete(); }
    }

    private Task AnswerServerRequest(JsonNode request)
    {
        JsonNode? result = null;
        if (request["method"]!.GetValue<string>() == "workspace/configuration")
        {
            var items = request["params"]?["items"]?.AsArray() ?? new JsonArray();
            result = new JsonArray(items.Select(_ => (JsonNode?)Settings.DeepClone()).ToArray());
        }
        return SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = request["id"]!.DeepClone(), ["result"] = result });
    }

    /// <summary>One header line (ASCII, CRLF-terminated) read byte by byte, so the body that follows stays in the stream.</summary>
    private static string? ReadHeaderLine(Stream s)
    {
        var bytes = new List<byte>();
        while (true)
        {
            int b = s.ReadByte();
            if (b < 0) return bytes.Count == 0 ? null : Encoding.ASCII.GetString(bytes.ToArray());
            if (b == '\n') return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
            bytes.Add((byte)b);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var shutdown = RequestAsync("shutdown", null, TimeSpan.FromSeconds(5));
            await Task.WhenAny(shutdown, Task.Delay(5000, cts.Token));
            await NotifyAsync("exit", null);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or TimeoutException or ObjectDisposedException) { }
        if (!_process.WaitForExit(5000)) try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await Task.WhenAny(_reader, Task.Delay(2000));
        _process.Dispose();
    }
}
