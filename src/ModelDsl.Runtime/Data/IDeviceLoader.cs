using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>
/// A ModelDsl loader that builds (and augments) its batches on a device: the Learner gives a loader whose device was
/// not chosen its own, so augmentation runs where training runs, and says so when a chosen one differs.
/// </summary>
internal interface IDeviceLoader
{
    /// <summary>Where batches are built and augmented.</summary>
    Device Device { get; }

    /// <summary>True when the loader was built with a device: the Learner keeps it.</summary>
    bool DeviceChosen { get; }

    /// <summary>Builds the batches on <paramref name="device"/> from now on (only for a loader whose device was not chosen).</summary>
    void Adopt(Device device);
}
