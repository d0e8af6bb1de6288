using ModelDsl.Data;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// One device for a fit: a ModelDsl loader built without a device builds and augments its batches on the learner's
/// (so augmentation runs on the GPU with the model, not silently on the CPU); one built for another device keeps it —
/// the learner copies each finished batch to its own — and the fit says so in its first lines.
/// </summary>
internal static class LoaderDevices
{
    /// <summary>Gives <paramref name="loader"/> the learner's <paramref name="device"/> when it has none of its own; the note to print when its own differs, else null.</summary>
    public static string? Align(IEnumerable<Batch> loader, Device device, string role)
    {
        if (loader is not IDeviceLoader own) return null;
        if (!own.DeviceChosen)
        {
            if (!DataLoader.SameDevice(own.Device, device)) own.Adopt(device);
            return null;
        }
        return DataLoader.SameDevice(own.Device, device) ? null
            : $"The {role} loader builds and augments its batches on {own.Device}; the learner trains on {device}, so each batch is copied there " +
              $"after augmentation. Build the loader without a device (or with device: {device}) to augment on {device}.";
    }
}
