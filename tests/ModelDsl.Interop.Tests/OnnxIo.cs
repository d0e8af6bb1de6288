using Onnx;

namespace ModelDsl.Interop.Tests;

/// <summary>Reads an ONNX file back with the same generated classes the exporter writes with.</summary>
public static class OnnxIo
{
    public static ModelProto Read(string path)
    {
        using var file = File.OpenRead(path);
        return ModelProto.Parser.ParseFrom(file);
    }
}
