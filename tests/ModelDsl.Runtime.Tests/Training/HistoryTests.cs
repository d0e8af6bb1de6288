using ModelDsl.Training;
using Xunit;

namespace ModelDsl.Runtime.Tests.Training;

public class HistoryTests
{
    private static History Sample()
    {
        var h = new History();
        h.Add(new EpochRecord(0, 0.5, 0.25, new[] { new KeyValuePair<string, double>("accuracy", 0.875) }, 1.5, 0.001));
        h.Add(new EpochRecord(1, 0.125, double.NaN, new[] { new KeyValuePair<string, double>("accuracy", 0.9375) }, 2.25, 1e-5));
        return h;
    }

    [Fact]
    public void Csv_has_a_header_and_one_invariant_line_per_epoch()
    {
        Assert.Equal(
            "epoch,train_loss,valid_loss,accuracy,seconds,lr\n" +
            "0,0.5,0.25,0.875,1.5,0.001\n" +
            "1,0.125,,0.9375,2.25,1E-05\n",
            Sample().ToCsv());
    }

    [Fact]
    public void Json_has_one_object_per_epoch_with_null_for_nan_and_round_trips()
    {
        var json = Sample().ToJson(indented: false);
        Assert.Equal(
            "{\"epochs\":[" +
            "{\"epoch\":0,\"train_loss\":0.5,\"valid_loss\":0.25,\"metrics\":{\"accuracy\":0.875},\"seconds\":1.5,\"lr\":0.001}," +
            "{\"epoch\":1,\"train_loss\":0.125,\"valid_loss\":null,\"metrics\":{\"accuracy\":0.9375},\"seconds\":2.25,\"lr\":1E-05}]}",
            json);
        var back = History.FromJson(json);
        Assert.Equal(2, back.Count);
        Assert.True(double.IsNaN(back[1].ValidLoss));
        Assert.Equal(0.9375, back[1].Get("accuracy"));
        Assert.Equal(Sample().ToCsv(), back.ToCsv());
    }

    [Fact]
    public void Save_writes_files()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mdsl-hist-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Sample().SaveCsv(Path.Combine(dir, "log.csv"));
            Sample().SaveJson(Path.Combine(dir, "log.json"));
            Assert.StartsWith("epoch,train_loss", File.ReadAllText(Path.Combine(dir, "log.csv")));
            Assert.Contains("\"accuracy\": 0.875", File.ReadAllText(Path.Combine(dir, "log.json")));
            Assert.Equal(2, Directory.GetFiles(dir).Length);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
