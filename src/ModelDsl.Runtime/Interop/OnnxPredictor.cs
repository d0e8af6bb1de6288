using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Interop;

/// <summary>One output of an ONNX model run: its name, its values (row-major) and its shape, batch first.</summary>
public sealed record OnnxOutput(string Name, float[] Values, long[] Shape);

/// <summary>
/// Serves an exported model with ONNX Runtime: load the file once, run float batches (a TorchSharp tensor or a
/// plain float[] with its shape) and get the outputs by name. The library references ONNX Runtime's managed
/// API only; the application adds the native package it runs on, <c>Microsoft.ML.OnnxRuntime</c> (CPU) or
/// <c>Microsoft.ML.OnnxRuntime.Gpu</c> (pass <c>SessionOptions.MakeSessionOptionWithCudaProvider(0)</c>).
/// </summary>
public sealed class OnnxPredictor : IDisposable
{
    private readonly InferenceSession _session;

    /// <summary>Loads <paramref name="path"/>; a missing file is a <see cref="FileNotFoundException"/> naming it.</summary>
    public OnnxPredictor(string path, SessionOptions? options = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No ONNX model at {Path.GetFullPath(path)}.", path);
        _session = options is null ? new InferenceSession(path) : new InferenceSession(path, options);
        InputName = _session.InputNames.Count == 1
            ? _session.InputNames[0]
            : throw new NotSupportedException($"{path} has {_session.InputNames.Count} inputs; OnnxPredictor runs models with one input.");
        OutputNames = _session.OutputNames.ToArray();
    }

    /// <summary>The model's one input.</summary>
    public string InputName { get; }

    /// <summary>The model's outputs, in the file's order.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>Runs a batch given as row-major values and its shape (batch first); returns every output.</summary>
    public IReadOnlyList<OnnxOutput> Run(float[] batch, params long[] shape)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != batch.Length)
            throw new ArgumentException($"The shape {string.Join("×", shape)} holds {count} values but the batch has {batch.Length}.", nameof(shape));
        using var input = OrtValue.CreateTensorValueFromMemory(batch, shape);
        using var options = new RunOptions();
        using var outputs = _session.Run(options, new[] { InputName }, new[] { input }, OutputNames.ToArray());
        return outputs.Select((value, i) => new OnnxOutput(OutputNames[i], value.GetTensorDataAsSpan<float>().ToArray(), value.GetTensorTypeAndShape().Shape)).ToArray();
    }

    /// <summary>Runs a float batch and returns the output named <paramref name="output"/> (the first when null) as a CPU tensor.</summary>
    public Tensor Run(Tensor batch, string? output = null)
    {
        var all = RunAll(batch);
        string name = output ?? OutputNames[0];
        foreach (var (key, tensor) in all)
            if (key != name) tensor.Dispose();
        return all.TryGetValue(name, out var result) ? result
            : throw new ArgumentException($"The model has no output '{name}'; its outputs are {string.Join(", ", OutputNames)}.", nameof(output));
    }

    /// <summary>Runs a float batch and returns every output by name, as CPU tensors.</summary>
    public IReadOnlyDictionary<string, Tensor> RunAll(Tensor batch)
    {
        float[] values;
        using (var cpu = batch.detach().cpu().to_type(ScalarType.Float32).contiguous()) values = cpu.data<float>().ToArray();
        return Run(values, batch.shape).ToDictionary(o => o.Name, o => torch.tensor(o.Values, o.Shape));
    }

    public void Dispose() => _session.Dispose();
}
