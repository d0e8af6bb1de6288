namespace ModelDsl.Data;

/// <summary>
/// A seeded split of sample indices into train and validation that keeps each class's share (scikit-learn's
/// train_test_split with stratify): every class with at least two samples gives round(fraction × its count),
/// at least one, to validation, so a small class is neither lost from validation nor from training.
/// </summary>
public static class StratifiedSplit
{
    /// <summary>Splits indices 0..labels.Count−1; both lists come back sorted, so a folder's order is kept.</summary>
    public static (int[] Train, int[] Valid) Indices(IReadOnlyList<long> labels, double validFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (!(validFraction > 0 && validFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validFraction), validFraction, "The validation fraction must be between 0 and 1 (exclusive).");
        var rng = new Random(seed);
        var train = new List<int>();
        var valid = new List<int>();
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            rng.Shuffle(members);
            int take = members.Length < 2 ? 0 : Math.Clamp((int)Math.Round(validFraction * members.Length), 1, members.Length - 1);
            valid.AddRange(members.Take(take));
            train.AddRange(members.Skip(take));
        }
        train.Sort();
        valid.Sort();
        return (train.ToArray(), valid.ToArray());
    }

    /// <summary>Splits an image folder by its labels (read from the file list, nothing decoded).</summary>
    public static (SubsetDataset Train, SubsetDataset Valid) Split(ImageFolderDataset folder, double validFraction, int seed)
    {
        var labels = Enumerable.Range(0, folder.Count).Select(i => (long)folder.Sample(i).Label).ToArray();
        var (train, valid) = Indices(labels, validFraction, seed);
        return (new SubsetDataset(folder, train), new SubsetDataset(folder, valid));
    }
}
