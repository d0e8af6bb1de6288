using System.Reflection;
using ModelDsl.Data;

namespace ModelDsl.Training;

/// <summary>
/// What the Learner may learn about a loader beyond <c>IEnumerable&lt;Batch&gt;</c>, found by shape
/// rather than by type so any loader works: a batch count (a collection, or a public
/// <c>Count</c> property) for schedules and progress bars, and a settable <c>Epoch</c> property
/// (ModelDsl's DataLoader derives each epoch's shuffle from seed and epoch) which the Learner sets
/// before every epoch so a resumed run draws exactly the orders the uninterrupted run would have, and
/// a settable <c>StartBatch</c> so a mid-epoch checkpoint resumes without rebuilding the batches before it.
/// </summary>
internal static class LoaderProbe
{
    public static long? Count(IEnumerable<Batch> loader)
    {
        switch (loader)
        {
            case IReadOnlyCollection<Batch> c: return c.Count;
            case ICollection<Batch> c: return c.Count;
            case System.Collections.ICollection c: return c.Count;
        }
        var p = loader.GetType().GetProperty("Count", BindingFlags.Public | BindingFlags.Instance);
        return p?.GetValue(loader) switch
        {
            int i => i,
            long l => l,
            _ => null,
        };
    }

    public static void SetEpoch(IEnumerable<Batch> loader, int epoch)
    {
        var p = loader.GetType().GetProperty("Epoch", BindingFlags.Public | BindingFlags.Instance);
        if (p is null || !p.CanWrite) return;
        if (p.PropertyType == typeof(int)) p.SetValue(loader, epoch);
        else if (p.PropertyType == typeof(long)) p.SetValue(loader, (long)epoch);
    }

    /// <summary>Sets a settable int <c>StartBatch</c> property (the batch the next enumeration begins at); false when the loader has none.</summary>
    public static bool TrySetStartBatch(IEnumerable<Batch> loader, int batch)
    {
        var p = loader.GetType().GetProperty("StartBatch", BindingFlags.Public | BindingFlags.Instance);
        if (p is null || !p.CanWrite || p.PropertyType != typeof(int)) return false;
        p.SetValue(loader, batch);
        return true;
    }
}
