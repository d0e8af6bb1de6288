using System.Text.Json;
using ModelDsl.Metrics;
using Xunit;
using static ModelDsl.Runtime.Tests.Metrics.Fixtures;

namespace ModelDsl.Runtime.Tests.Metrics;

public class ClassificationReportTests
{
    [Fact]
    public void Report_rows_averages_matrix_and_ber_match_the_fixture()
    {
        using var rep = new ClassificationReport(new[] { "cat", "dog", "bird" });
        rep.Update(McPred()[0..5], McTarget()[0..5]);
        rep.Update(McPred()[5..], McTarget()[5..]);
        var r = rep.Compute();
        Assert.Equal(new[] { "cat", "dog", "bird" }, r.Rows.Select(x => x.ClassName));
        ClassificationMetricTests.AssertArray(McPrecision, r.PrecisionPerClass);
        ClassificationMetricTests.AssertArray(McRecall, r.RecallPerClass);
        ClassificationMetricTests.AssertArray(McF1, r.F1PerClass);
        Assert.Equal(new long[] { 3, 2, 3 }, r.Rows.Select(x => x.Support));
        Assert.Equal(0.75, r.Accuracy, 12);
        Assert.Equal(new AveragedScores(0.75, 0.75, 0.75), r.Micro);
        Assert.Equal(McMacroR, r.Macro.Recall, 12);
        Assert.Equal(McMacroF1, r.Macro.F1, 12);
        Assert.Equal(McWeightedP, r.Weighted.Precision, 12);
        Assert.Equal(McWeightedF1, r.Weighted.F1, 12);
        Assert.Equal(5.0 / 18, r.BalancedErrorRate, 12);
        Assert.Equal(McConfusion, r.ConfusionMatrix);
        Assert.Equal(8, r.TotalSupport);

        var text = r.ToString();
        Assert.Contains("precision", text);
        Assert.Contains("bird", text);
        Assert.Contains("macro avg", text);
        Assert.Contains("weighted avg", text);
        Assert.True(text.Contains("0.7812") || text.Contains("0.7813"), text); // weighted precision 0.78125 at 4 decimals
        var catLine = text.Split('\n').First(l => l.TrimStart().StartsWith("cat"));
        Assert.Equal(new[] { "cat", "0.7500", "1.0000", "0.8571", "3" }, catLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Report_json_has_the_metrics_json_fields()
    {
        using var rep = new ClassificationReport(3);
        rep.Update(McPred(), McTarget());
        using var doc = JsonDocument.Parse(rep.Compute().ToJson());
        var root = doc.RootElement;
        Assert.Equal(0.75, root.GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(McMacroP, root.GetProperty("precision").GetProperty("macro").GetDouble(), 12);
        Assert.Equal(McWeightedR, root.GetProperty("recall").GetProperty("weighted").GetDouble(), 12);
        Assert.Equal(0.75, root.GetProperty("f1").GetProperty("micro").GetDouble(), 12);
        Assert.Equal(5.0 / 18, root.GetProperty("balanced_error_rate").GetDouble(), 12);
        Assert.Equal(3, root.GetProperty("per_class").GetArrayLength());
        Assert.Equal(0.5, root.GetProperty("per_class")[1].GetProperty("recall").GetDouble(), 12);
        Assert.Equal(1, root.GetProperty("confusion_matrix")[1][0].GetInt64());
    }

    [Fact]
    public void Binary_report_uses_two_names()
    {
        using var rep = new ClassificationReport(new[] { "neg", "pos" }, ClassificationTask.Binary);
        rep.Update(TorchSharp.torch.tensor(BinLogits), TorchSharp.torch.tensor(BinTargets));
        var r = rep.Compute();
        ClassificationMetricTests.AssertArray(new[] { 1.0 / 3, 2.0 / 3 }, r.PrecisionPerClass);
        Assert.Equal(0.5, r.Accuracy, 12);
        Assert.Throws<ArgumentException>(() => new ClassificationReport(new[] { "a", "b", "c" }, ClassificationTask.Binary));
    }
}
