namespace ModelDsl.Augmentation;

/// <summary>
/// Something whose random state affects training and can be saved and put back exactly: a random
/// augmentation's generators, a <see cref="Compose"/> of them, a data loader with its augmentation.
/// The Learner stores the training and validation loaders' state in every checkpoint, so a resumed
/// run draws the same augmentations as the uninterrupted one.
/// </summary>
public interface IRandomState
{
    /// <summary>An opaque snapshot of the current random state.</summary>
    byte[] SaveRandomState();

    /// <summary>
    /// Puts back a snapshot from <see cref="SaveRandomState"/> of an object built the same way; a
    /// snapshot that does not fit (another pipeline) throws <see cref="InvalidDataException"/>.
    /// </summary>
    void LoadRandomState(byte[] state);
}
