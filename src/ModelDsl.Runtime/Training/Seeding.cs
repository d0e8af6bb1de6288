using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>Deterministic runs: one call before the model is built seeds its initial weights too.</summary>
public static class Seeding
{
    /// <summary>Seeds torch's CPU generator and, when present, every CUDA device's.</summary>
    public static void Everything(long seed)
    {
        manual_seed(seed);
        if (cuda.is_available()) cuda.manual_seed_all(seed);
    }
}
