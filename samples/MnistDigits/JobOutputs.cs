using System.Globalization;
using System.Text;
using ModelDsl.Data;
using ModelDsl.Metrics;
using ModelDsl.Reports;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MnistDigits;

/// <summary>Everything the job leaves in <c>--out</c>: metrics.json, predictions.csv and the PNG reports.</summary>
public sealed class JobOutputs
{
    public JobOutputs(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
    }

    public string Directory { get; }

    public string PathOf(string file) => Path.Combine(Directory, file);

    /// <summary>Accuracy; precision, recall and F1 under micro/macro/weighted; per-class rows; confusion matrix; balanced error rate.</summary>
    public void WriteMetrics(ClassificationReportResult result) => WriteAtomically(PathOf("metrics.json"), result.ToJson());

    /// <summary>A header, then <c>index,label,predicted</c> and one softmax probability per class for every test sample.</summary>
    public void WritePredictions(Tensor logits, Tensor targets, IReadOnlyList<string> classNames)
    {
        using var scope = NewDisposeScope();
        var probabilities = logits.softmax(1).cpu().to_type(ScalarType.Float64).data<double>().ToArray();
        var labels = targets.cpu().to_type(ScalarType.Int64).data<long>().ToArray();
        int k = classNames.Count;
        var csv = new StringBuilder("index,label,predicted");
        foreach (var name in classNames) csv.Append(",p_").Append(CsvSafe(name));
        csv.Append('\n');
        for (int i = 0; i < labels.Length; i++)
        {
            int predicted = 0;
            for (int c = 1; c < k; c++) if (probabilities[i * k + c] > probabilities[i * k + predicted]) predicted = c;
            csv.Append(i).Append(',').Append(labels[i]).Append(',').Append(predicted);
            for (int c = 0; c < k; c++) csv.Append(',').Append(probabilities[i * k + c].ToString("G6", CultureInfo.InvariantCulture));
            csv.Append('\n');
        }
        WriteAtomically(PathOf("predictions.csv"), csv.ToString());
    }

    /// <summary>
    /// Up to <paramref name="count"/> indices that mix the classes: the classes in turn, each class's samples in order. An
    /// image folder lists its samples class by class, so its first 16 would all show one class.
    /// </summary>
    public static IReadOnlyList<int> MixedSample(IReadOnlyList<long> labels, int count)
    {
        var byClass = labels.Select((label, index) => (label, index)).GroupBy(x => x.label).OrderBy(g => g.Key)
            .Select(g => new Queue<int>(g.Select(x => x.index))).ToList();
        var picked = new List<int>();
        while (picked.Count < count && byClass.Any(q => q.Count > 0))
            foreach (var queue in byClass)
                if (queue.Count > 0 && picked.Count < count) picked.Add(queue.Dequeue());
        return picked;
    }

    public void WritePlots(Learner learner, History history, ClassificationReportResult result, IDataset testSet, DataLoader testLoader,
        Tensor logits, Tensor targets, IReadOnlyList<string> classNames, ChannelStats stats)
    {
        using var scope = NewDisposeScope();
        Plots.LossCurves(history.Select(r => new EpochLosses(r.Epoch, r.TrainLoss, r.ValidLoss)).ToList(), PathOf("loss_curves.png"));
        if (result.ConfusionMatrix is { } matrix) Plots.ConfusionMatrix(matrix, classNames, PathOf("confusion_matrix.png"));

        var picked = MixedSample(targets.cpu().data<long>().ToArray(), 16).Select(testSet.Get).ToList();
        Plots.SampleBatch(stack(picked.Select(s => s.Image).ToArray()), tensor(picked.Select(s => s.Label).ToArray()), classNames, PathOf("sample_batch.png"));

        // Top losses: the test samples the model got most wrong, shown as the raw images.
        var losses = nn.functional.cross_entropy(logits, targets, reduction: nn.Reduction.None).cpu();
        var top = losses.argsort(descending: true).slice(0, 0, Math.Min(9, losses.shape[0]), 1).data<long>().ToArray();
        var topImages = stack(top.Select(i => testSet.Get((int)i).Image).ToArray());
        var topIndex = tensor(top);
        Plots.TopLosses(topImages, targets.cpu().index_select(0, topIndex), logits.argmax(1).cpu().index_select(0, topIndex), losses.index_select(0, topIndex),
            classNames, PathOf("top_losses.png"));

        // The first conv layer: its filters, and what it makes of the first test image.
        var (convName, convModule) = learner.Model.named_modules().FirstOrDefault(m => m.module is TorchSharp.Modules.Conv2d);
        if (convModule is TorchSharp.Modules.Conv2d conv)
        {
            Plots.ConvFilters(conv.weight!.detach().cpu(), PathOf("conv1_filters.png"), layerName: convName);
            using var noGrad = no_grad();
            var mean = tensor(stats.Mean.Select(m => (float)m).ToArray()).reshape(1, -1, 1, 1);
            var std = tensor(stats.Std.Select(s => (float)s).ToArray()).reshape(1, -1, 1, 1);
            var image = ((picked[0].Image.unsqueeze(0) - mean) / std).to(learner.Device);
            bool wasTraining = learner.Model.training;
            learner.Model.eval();
            Plots.FeatureMaps(conv.forward(image)[0].cpu(), PathOf("conv1_feature_maps.png"), layerName: convName);
            learner.Model.train(wasTraining);
        }
        foreach (var (image, _) in picked) image.Dispose();
    }

    private static string CsvSafe(string name) => name.Replace(',', '_').Replace('"', '_').Replace('\n', '_');

    private static void WriteAtomically(string path, string text)
    {
        string temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
