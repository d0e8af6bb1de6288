using System.Text.RegularExpressions;
using ModelDsl.Training;
using Xunit;
using static ModelDsl.Runtime.Tests.Training.TrainingTestUtil;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

[Collection("Training")]
public class OutputTests
{
    [Fact]
    public void Epoch_table_rows_align_under_the_header()
    {
        var table = new EpochTable(new[] { "accuracy", "f1_macro_long_name" });
        Assert.Equal("epoch  train_loss  valid_loss  accuracy  f1_macro_long_name  time", table.Header);
        var row = table.Row(new EpochRecord(3, 0.123456789, 0.5, new[]
        {
            new KeyValuePair<string, double>("accuracy", 0.98765),
            new KeyValuePair<string, double>("f1_macro_long_name", 1),
        }, 75.4, 0.01));
        Assert.Equal("3      0.123457    0.500000    0.987650  1.000000            01:15", row);
        Assert.Equal(table.Header.IndexOf("time"), row.IndexOf("01:15"));
        Assert.Equal("1:01:01", EpochTable.Time(3661));
        var noValid = new EpochTable(Array.Empty<string>()).Row(new EpochRecord(0, 1, double.NaN, Array.Empty<KeyValuePair<string, double>>(), 0.2, 0));
        Assert.Equal("0      1.000000    -           00:00", noValid);
    }

    [Fact]
    public void Plain_output_prints_the_header_then_one_line_per_epoch()
    {
        Seeding.Everything(51);
        using var data = new SyntheticData(64);
        using var model = new TinyNet();
        var writer = new StringWriter();
        var o = Options();
        using var learner = new Learner(model, data.Train(), data.Valid(), new LearnerOptions
        {
            Optimizer = o.Optimizer, Metrics = o.Metrics, Device = CPU, Output = OutputMode.Plain, Writer = writer,
        });
        learner.Fit(2, 0.05);
        var lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("epoch  train_loss  valid_loss  accuracy  time", lines[0]);
        Assert.Matches(new Regex(@"^0      \d\.\d{6}    \d\.\d{6}    \d\.\d{6}  \d\d:\d\d$"), lines[1]);
        Assert.Matches(new Regex(@"^1      \d\.\d{6}    \d\.\d{6}    \d\.\d{6}  \d\d:\d\d$"), lines[2]);
        Assert.False(writer.ToString().Contains('\u001b')); // no escape codes in logs
    }

    [Fact]
    public void Live_mode_runs_a_fit_without_a_terminal()
    {
        // Smoke test: under the test runner Spectre sees no interactive console; the live path must still train.
        Seeding.Everything(52);
        using var data = new SyntheticData(64);
        using var model = new TinyNet();
        var o = Options();
        using var learner = new Learner(model, data.Train(), data.Valid(), new LearnerOptions
        {
            Optimizer = o.Optimizer, Metrics = o.Metrics, Device = CPU, Output = OutputMode.Live,
            Callbacks = { new EarlyStopping(patience: 1, minDelta: 100) },
        });
        Assert.Equal(2, learner.Fit(3, 0.05).Count);
        Assert.StartsWith("Early stopping at epoch 1", learner.StopReason);
    }

    [Fact]
    public void A_writer_makes_auto_mode_plain()
    {
        var r = ProgressReporter.Create(OutputMode.Auto, new StringWriter());
        Assert.IsType<PlainReporter>(r);
        Assert.IsType<SilentReporter>(ProgressReporter.Create(OutputMode.Silent, null));
        // Under the test runner stdout is redirected, so Auto falls back to plain lines.
        if (Console.IsOutputRedirected) Assert.IsType<PlainReporter>(ProgressReporter.Create(OutputMode.Auto, null));
    }
}
