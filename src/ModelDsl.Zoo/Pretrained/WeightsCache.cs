using System.Security.Cryptography;
using ModelDsl.Data;
using ModelDsl.Interop;
using TorchSharp;

namespace ModelDsl.Zoo;

/// <summary>
/// Where published weights are kept and how they get there: <c>$MODELDSL_HOME/weights</c> (else <c>~/.cache/modeldsl/weights</c>),
/// downloaded with the datasets' downloader — streamed to a temporary file, its SHA-256 checked against the start torchvision
/// writes into the file's name, renamed into place only when whole and right — so an interrupted or corrupt download never
/// leaves a file that looks valid. A file already there, or one the caller names, is checked the same way before loading.
/// </summary>
public static class WeightsCache
{
    /// <summary>The folder weights are downloaded to.</summary>
    public static string Folder
    {
        get
        {
            string? home = Environment.GetEnvironmentVariable("MODELDSL_HOME");
            if (string.IsNullOrWhiteSpace(home))
                home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "modeldsl");
            return Path.Combine(home, "weights");
        }
    }

    /// <summary>
    /// The path of <paramref name="weights"/>' file: <paramref name="path"/> when given, else the cache's copy, downloaded if
    /// missing or wrong. Either way its SHA-256 must start as the file's name says; a wrong or truncated file is named.
    /// </summary>
    public static async Task<string> FileAsync(PretrainedWeights weights, string? path = null, HttpClient? http = null, CancellationToken ct = default)
    {
        if (path is not null)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"{weights.Model}'s weights: '{Path.GetFullPath(path)}' does not exist.", path);
            await CheckAsync(weights, path, ct).ConfigureAwait(false);
            return path;
        }
        string cached = Path.Combine(Folder, weights.FileName);
        if (File.Exists(cached) && await MatchesAsync(weights, cached, ct).ConfigureAwait(false)) return cached;
        using var downloader = new DatasetDownloader(http);
        try
        {
            await downloader.DownloadFileAsync(weights.Url, cached, ct: ct, sha256Prefix: weights.Sha256Prefix).ConfigureAwait(false);
        }
        catch (Exception e) when (DatasetDownloader.IsOffline(e, ct))
        {
            throw new IOException($"Could not download {weights.Model}'s weights from {weights.Url}: {e.Message} (offline or the server is unreachable). "
                + $"Download {weights.FileName} by hand and pass its path, or put it into '{Folder}'.", e);
        }
        return cached;
    }

    /// <summary>Throws, naming the file and both hashes, unless its SHA-256 starts as <paramref name="weights"/>' file name says.</summary>
    public static async Task CheckAsync(PretrainedWeights weights, string path, CancellationToken ct = default)
    {
        string actual = await Sha256Async(path, ct).ConfigureAwait(false);
        if (!actual.StartsWith(weights.Sha256Prefix, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"'{Path.GetFullPath(path)}' is not {weights.Model}'s published weights ({weights.FileName}): its SHA-256 is {actual}, "
                + $"which does not start with {weights.Sha256Prefix} — a truncated, corrupt or different file ({new FileInfo(path).Length:N0} bytes).");
    }

    private static async Task<bool> MatchesAsync(PretrainedWeights weights, string path, CancellationToken ct)
        => (await Sha256Async(path, ct).ConfigureAwait(false)).StartsWith(weights.Sha256Prefix, StringComparison.OrdinalIgnoreCase);

    private static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexString(await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false)).ToLowerInvariant();
    }

    /// <summary>
    /// Loads <paramref name="weights"/> into <paramref name="model"/> strictly (every tensor by torchvision's name, the file's
    /// extra tensors in <see cref="PretrainedWeights.Skip"/> left out), sets it to eval mode and remembers the weights for
    /// <see cref="ZooPrediction.Predict"/>.
    /// </summary>
    public static async Task<T> LoadAsync<T>(T model, PretrainedWeights weights, string? path = null, HttpClient? http = null, CancellationToken ct = default)
        where T : torch.nn.Module
    {
        if (model.parameters().Sum(p => p.numel()) != weights.ParameterCount)
            throw new ArgumentException($"{weights.Model}'s published weights are for {weights.ParameterCount:N0} parameters (1000 classes); this {model.GetType().Name} has "
                + $"{model.parameters().Sum(p => p.numel()):N0}. Load them into the 1000-class model, then replace its head (docs/ZOO.md, fine-tuning).", nameof(model));
        string file = await FileAsync(weights, path, http, ct).ConfigureAwait(false);
        var map = new PyTorchNameMap();
        foreach (var skipped in weights.Skip ?? Array.Empty<string>()) map.Skip(skipped);
        model.LoadFromPyTorch(file, map);
        model.eval();
        ZooPrediction.Remember(model, weights);
        return model;
    }
}
