using System.Runtime.InteropServices;

namespace ModelDsl.Platform;

/// <summary>
/// The two switches of libtorch's CPU convolutions that TorchSharp 0.107 does not expose, reached directly:
/// <list type="bullet">
/// <item>ATen's <c>at::globalContext().setUserEnabledMkldnn(bool)</c> (Python's <c>torch.backends.mkldnn.enabled</c>),
/// an exported C++ function of libtorch_cpu, called by its (Itanium ABI) mangled name. It may be flipped at any
/// time: every convolution and convolution backward asks it when it picks its kernel.</item>
/// <item>oneDNN's <c>ONEDNN_MAX_CPU_ISA</c>, which oneDNN reads from the <em>native</em> environment once, the first
/// time it asks which instructions it may use (its first convolution). .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> only changes the managed copy on Linux, so
/// libc's <c>setenv</c> is called.</item>
/// </list>
/// Each call reports failure instead of throwing (a libtorch without the symbol, a platform without libc).
/// </summary>
internal static class LibTorchSwitches
{
    private const string ContextSymbol = "_ZN2at13globalContextEv";
    private const string SetMkldnnSymbol = "_ZN2at7Context20setUserEnabledMkldnnEb";
    private const string GetMkldnnSymbol = "_ZNK2at7Context17userEnabledMkldnnEv";

    private static readonly Lazy<IntPtr> LibTorchCpu = new(LoadLibTorchCpu);

    /// <summary>
    /// libtorch_cpu as TorchSharp already loaded it (the caller has touched a tensor first): by its file name,
    /// which the dynamic loader matches against the library loaded from TorchSharp's native folder.
    /// </summary>
    private static IntPtr LoadLibTorchCpu()
    {
        foreach (var name in new[] { "libtorch_cpu.so", "libtorch_cpu.dylib", "torch_cpu.dll", "libtorch_cpu" })
            if (NativeLibrary.TryLoad(name, typeof(LibTorchSwitches).Assembly, DllImportSearchPath.SafeDirectories | DllImportSearchPath.AssemblyDirectory, out var handle))
                return handle;
        return IntPtr.Zero;
    }

    private static unsafe bool TryContext(out IntPtr context)
    {
        context = IntPtr.Zero;
        var lib = LibTorchCpu.Value;
        if (lib == IntPtr.Zero || !NativeLibrary.TryGetExport(lib, ContextSymbol, out var fn)) return false;
        context = ((delegate* unmanaged<IntPtr>)fn)();
        return context != IntPtr.Zero;
    }

    /// <summary>Whether libtorch may use oneDNN (mkldnn) kernels; null when the switch cannot be read.</summary>
    public static unsafe bool? MkldnnEnabled
    {
        get
        {
            if (!TryContext(out var ctx) || !NativeLibrary.TryGetExport(LibTorchCpu.Value, GetMkldnnSymbol, out var fn)) return null;
            return ((delegate* unmanaged<IntPtr, byte>)fn)(ctx) != 0;
        }
    }

    /// <summary>Turns libtorch's use of oneDNN on or off; false when the switch cannot be reached.</summary>
    public static unsafe bool TrySetMkldnnEnabled(bool enabled)
    {
        if (!TryContext(out var ctx) || !NativeLibrary.TryGetExport(LibTorchCpu.Value, SetMkldnnSymbol, out var fn)) return false;
        ((delegate* unmanaged<IntPtr, byte, void>)fn)(ctx, enabled ? (byte)1 : (byte)0);
        return MkldnnEnabled == enabled;
    }

    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr GetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    /// <summary>Sets a variable in the native environment (where libtorch and oneDNN read theirs); false where that fails.</summary>
    public static bool TrySetNativeEnvironment(string name, string value)
    {
        if (OperatingSystem.IsWindows()) { Environment.SetEnvironmentVariable(name, value); return true; }
        try { return SetEnv(name, value, 1) == 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    /// <summary>A variable of the native environment (null when unset or unreadable).</summary>
    public static string? NativeEnvironment(string name)
    {
        if (OperatingSystem.IsWindows()) return Environment.GetEnvironmentVariable(name);
        try { return Marshal.PtrToStringUTF8(GetEnv(name)); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return null; }
    }
}
