namespace ModelDsl.Augmentation;

/// <summary>
/// The check a paired pipeline (<see cref="PairedSequential"/>) and a dense loader make when they are built: every step can
/// transform masks and boxes with its images, or the construction fails naming the step and the transform that can.
/// </summary>
internal static class PairedUse
{
    public static void Require(IPairedAugmentation? augmentation, string paramName)
    {
        if (augmentation is RandomAugmentation { RefusalForTargets: { } why }) throw new ArgumentException(why, paramName);
    }
}
