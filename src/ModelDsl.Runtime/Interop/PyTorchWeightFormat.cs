namespace ModelDsl.Interop;

/// <summary>The two file formats <see cref="PyTorchWeights"/> reads and writes.</summary>
public enum PyTorchWeightFormat
{
    /// <summary>
    /// What <c>torch.save(model.state_dict(), path)</c> writes and <c>torch.load(path)</c> reads (the zip archive
    /// with a pickled OrderedDict, PyTorch 1.6 and later): no package beyond torch on the Python side. Extensions
    /// <c>.pt</c>, <c>.pth</c>, <c>.bin</c>.
    /// </summary>
    PyTorch,

    /// <summary>
    /// Hugging Face's safetensors (a JSON index, then raw little-endian tensor bytes; no pickle, so nothing runs
    /// on load). Extension <c>.safetensors</c>.
    /// </summary>
    Safetensors,
}

/// <summary>Tells the formats apart by extension (for writing) and by their first bytes (for reading).</summary>
internal static class PyTorchWeightFormats
{
    /// <summary>The format a path's extension asks for; anything else is an error naming the path.</summary>
    public static PyTorchWeightFormat FromExtension(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".pt" or ".pth" or ".bin" => PyTorchWeightFormat.PyTorch,
        ".safetensors" => PyTorchWeightFormat.Safetensors,
        var ext => throw new ArgumentException(
            $"'{path}': cannot tell the weight format from the extension '{ext}'. Use .pt/.pth/.bin (torch.save's format) " +
            "or .safetensors, or pass the format explicitly.", nameof(path)),
    };

    /// <summary>
    /// The format of an existing file, from its content (a renamed file still loads): a zip local-file header
    /// for torch.save's archive, an 8-byte header length followed by a JSON object for safetensors. Anything
    /// else throws <see cref="PyTorchWeightsFormatException"/> saying what the file looks like instead.
    /// </summary>
    public static PyTorchWeightFormat Detect(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"PyTorch weights file '{path}' does not exist.", path);
        var head = new byte[9];
        long length;
        using (var fs = File.OpenRead(path))
        {
            length = fs.Length;
            fs.ReadExactly(head, 0, (int)Math.Min(head.Length, length));
        }
        if (length >= 4 && head[0] == 0x50 && head[1] == 0x4B && head[2] == 0x03 && head[3] == 0x04) return PyTorchWeightFormat.PyTorch;
        if (length >= 9)
        {
            ulong index = BitConverter.ToUInt64(head, 0);
            if (index > 1 && index <= (ulong)(length - 8) && head[8] == (byte)'{') return PyTorchWeightFormat.Safetensors;
        }
        if (length >= 2 && head[0] == 0x80 && head[1] <= 5)
            throw new PyTorchWeightsFormatException(path,
                "it is a bare pickle: PyTorch's legacy format (torch.save with _use_new_zipfile_serialization=False, or PyTorch before 1.6). " +
                "Re-save it with a current torch.save(model.state_dict(), path), which writes the zip format.");
        throw new PyTorchWeightsFormatException(path,
            $"it is neither torch.save's zip archive nor safetensors ({length:N0} bytes, starting with {Convert.ToHexString(head, 0, (int)Math.Min(head.Length, length))}).");
    }
}
