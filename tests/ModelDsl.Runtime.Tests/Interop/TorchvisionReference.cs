using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Interop;

/// <summary>
/// Reference values computed by Debian's torchvision: a script that saves a dict of tensors to
/// <c>f"{sys.argv[1]}/reference.pt"</c> runs in a temporary folder (removed afterwards), and the tensors come back by name,
/// created in the caller's dispose scope. For the transform tests that compare with torchvision on fixed decisions.
/// </summary>
public static class TorchvisionReference
{
    public static Dictionary<string, Tensor> Compute(string script)
    {
        string folder = Directory.CreateTempSubdirectory("modeldsl-torchvision-").FullName;
        try
        {
            SystemPython.Run(script, folder, [folder], [SystemPython.Torch, SystemPython.TorchVision]);
            var saved = PyTorchUnpickler.UnpickleStateDict(Path.Combine(folder, "reference.pt"));
            return saved.Keys.Cast<string>().ToDictionary(k => k, k => (Tensor)saved[k]!, StringComparer.Ordinal);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
