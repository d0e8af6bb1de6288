using System.Collections;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ModelDsl.Interop;

/// <summary>
/// Weights both ways between a TorchSharp module (every generated ModelDsl model is one) and PyTorch:
/// <see cref="SaveForPyTorch(nn.Module, string)"/> writes the module's state_dict (parameters and buffers:
/// BatchNorm's running_mean, running_var and num_batches_tracked) in a file <c>torch.load</c> or safetensors
/// reads; <see cref="LoadFromPyTorch"/> reads what <c>torch.save(model.state_dict(), path)</c> or safetensors
/// wrote, through an optional <see cref="PyTorchNameMap"/> (pretrained torchvision weights into a DSL model).
/// The files are read and written by TorchSharp.PyBridge; the checks, the name map and the atomic write are here.
/// </summary>
public static class PyTorchWeights
{
    /// <summary>
    /// Writes <paramref name="module"/>'s state_dict to <paramref name="path"/> in the format its extension names:
    /// <c>.pt</c>/<c>.pth</c>/<c>.bin</c> for torch.save's format (Python: <c>model.load_state_dict(torch.load(path))</c>),
    /// <c>.safetensors</c> for safetensors. Written atomically: a temporary file in the same directory, flushed to
    /// disk, then moved over <paramref name="path"/>, so a crash never leaves half a file.
    /// </summary>
    public static void SaveForPyTorch(this nn.Module module, string path) =>
        SaveForPyTorch(module, path, PyTorchWeightFormats.FromExtension(path));

    /// <summary>Writes <paramref name="module"/>'s state_dict to <paramref name="path"/> in <paramref name="format"/>, atomically.</summary>
    public static void SaveForPyTorch(this nn.Module module, string path, PyTorchWeightFormat format)
    {
        ArgumentNullException.ThrowIfNull(module);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var scope = NewDisposeScope())
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                // Detached CPU copies in the state_dict's order: the Python side gets the same OrderedDict order.
                var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                foreach (var (name, tensor) in module.state_dict()) state[name] = tensor.detach().cpu().contiguous();
                try
                {
                    if (format == PyTorchWeightFormat.PyTorch) PyTorchPickler.PickleStateDict(fs, state, leaveOpen: true);
                    else Safetensors.SaveStateDict(fs, state, leaveOpen: true);
                }
                catch (NotImplementedException e)
                {
                    var kinds = string.Join(", ", state.Select(kv => kv.Value.dtype).Distinct());
                    throw new PyTorchWeightsFormatException(path, $"the {format} writer cannot store this model's tensors (dtypes {kinds}): {e.Message}", e);
                }
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch { /* best effort: the original is untouched either way */ }
            throw;
        }
    }

    /// <summary>
    /// Copies the tensors of a PyTorch state_dict file (torch.save's zip format or safetensors, told apart by
    /// content) into <paramref name="module"/>, each PyTorch name renamed by <paramref name="nameMap"/> (no map:
    /// names must be equal, as they are for the generated PyTorch twin). Everything is checked before anything
    /// is copied: a mis-shaped tensor, a name-map rule that cannot be applied and, when <paramref name="strict"/>
    /// (the default, as in PyTorch), a model tensor nothing maps onto or a PyTorch tensor the model lacks throw
    /// one <see cref="PyTorchWeightsMismatchException"/> naming every one of them; the model is unchanged. With
    /// <paramref name="strict"/> false, missing and unexpected tensors are returned in the result instead.
    /// Values are converted to the model's dtype and device.
    /// </summary>
    public static PyTorchLoadResult LoadFromPyTorch(this nn.Module module, string path, PyTorchNameMap? nameMap = null, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        var format = PyTorchWeightFormats.Detect(path);
        using var scope = NewDisposeScope();
        var source = Read(path, format);
        var target = module.state_dict();
        var problems = new List<string>();
        var resolved = (nameMap ?? new PyTorchNameMap()).Resolve(source.Keys, target.Keys.ToList(), problems);

        var missing = new List<string>();
        var unexpected = new List<string>();
        var misshaped = new List<string>();
        var skipped = new List<string>();
        var copies = new List<(string Model, Tensor From)>();
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (pytorchName, modelName) in resolved.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var tensor = source[pytorchName];
            var label = modelName is null || modelName == pytorchName ? pytorchName : $"{pytorchName} → {modelName}";
            if (modelName is null) skipped.Add(pytorchName);
            else if (!target.TryGetValue(modelName, out var into)) unexpected.Add($"{label} {Shape(tensor.shape)}");
            else
            {
                covered.Add(modelName);
                if (!tensor.shape.SequenceEqual(into.shape)) misshaped.Add($"{label}: PyTorch {Shape(tensor.shape)} vs model {Shape(into.shape)}");
                else copies.Add((modelName, tensor));
            }
        }
        foreach (var (name, tensor) in target)
            if (!covered.Contains(name)) missing.Add($"{name} {Shape(tensor.shape)}");

        if (problems.Count > 0 || misshaped.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
            throw new PyTorchWeightsMismatchException(path, module.GetType().FullName ?? module.GetName(),
                strict ? missing : [], strict ? unexpected : [], misshaped, problems);

        using (no_grad())
            foreach (var (name, from) in copies) target[name].copy_(from);
        return new PyTorchLoadResult(copies.Select(c => c.Model).ToList(), missing, unexpected, skipped);
    }

    /// <summary>The file's tensors by name (created in the caller's dispose scope); any reader failure becomes a format error naming the file.</summary>
    private static Dictionary<string, Tensor> Read(string path, PyTorchWeightFormat format)
    {
        Hashtable table;
        try
        {
            if (format == PyTorchWeightFormat.Safetensors) return Safetensors.LoadStateDict(path);
            using var stream = File.OpenRead(path);
            table = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or PyTorchWeightsFormatException))
        {
            throw new PyTorchWeightsFormatException(path, $"the {format} reader failed: {e.Message}", e);
        }
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var nested = new List<string>();
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Value is Tensor t) result[(string)entry.Key] = t;
            else nested.Add($"{entry.Key} ({entry.Value?.GetType().Name ?? "None"})");
        }
        if (nested.Count > 0)
            throw new PyTorchWeightsFormatException(path,
                $"it is a dict holding more than tensors ({string.Join(", ", nested.Order(StringComparer.Ordinal))}), not a state_dict. " +
                "Save the model's state_dict alone: torch.save(model.state_dict(), path).");
        return result;
    }

    private static string Shape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
