using ModelDsl.Training;
using Xunit;

namespace ModelDsl.Runtime.Tests.Training;

public class ScheduleTests
{
    [Fact]
    public void One_cycle_warms_up_to_the_peak_then_anneals()
    {
        var s = LrSchedule.OneCycle(pctStart: 0.25, div: 25, finalDiv: 1e5);
        const int total = 101; // positions step/(total-1): step 25 is exactly the peak
        Assert.Equal(1 / 25.0, s.Factor(0, total, 10), 12);
        Assert.Equal(1.0, s.Factor(25, total, 10), 12);
        Assert.Equal(1e-5, s.Factor(100, total, 10), 12);
        // Cosine shape: half-way up is the mean of start and peak.
        Assert.Equal((1 / 25.0 + 1) / 2, LrSchedule.Cos(1 / 25.0, 1, 0.5), 12);
        Assert.Equal(LrSchedule.Cos(1 / 25.0, 1, 10 / 25.0), s.Factor(10, total, 10), 12);
        for (int i = 1; i <= 25; i++) Assert.True(s.Factor(i, total, 10) > s.Factor(i - 1, total, 10));
        for (int i = 26; i <= 100; i++) Assert.True(s.Factor(i, total, 10) < s.Factor(i - 1, total, 10));
        Assert.Equal((1 + 1e-5) / 2, LrSchedule.Cos(1, 1e-5, 0.5), 12);
        Assert.Equal(LrSchedule.Cos(1, 1e-5, 50.0 / 75), s.Factor(75, total, 10), 12);
    }

    [Fact]
    public void One_cycle_moves_momentum_against_the_rate()
    {
        var s = LrSchedule.OneCycle(pctStart: 0.25);
        Assert.Equal(0.95, s.Momentum(0, 101, 10)!.Value, 12);
        Assert.Equal(0.85, s.Momentum(25, 101, 10)!.Value, 12);
        Assert.Equal(0.95, s.Momentum(100, 101, 10)!.Value, 12);
        Assert.Null(LrSchedule.OneCycle(cycleMomentum: false).Momentum(50, 101, 10));
        Assert.Null(LrSchedule.CosineWithWarmup().Momentum(50, 101, 10));
    }

    [Fact]
    public void Cosine_with_warmup_is_linear_then_cosine()
    {
        var s = LrSchedule.CosineWithWarmup(warmupFraction: 0.1, minFactor: 0.01);
        Assert.Equal(0.1, s.Factor(0, 100, 10), 12);
        Assert.Equal(0.5, s.Factor(4, 100, 10), 12);
        Assert.Equal(1.0, s.Factor(9, 100, 10), 12);
        Assert.Equal(1.0, s.Factor(10, 100, 10), 12);
        Assert.Equal(0.01 + 0.99 * 0.5 * (1 + Math.Cos(Math.PI * 44 / 89.0)), s.Factor(54, 100, 10), 12);
        Assert.Equal(0.01, s.Factor(99, 100, 10), 12);
    }

    [Fact]
    public void Step_schedule_decays_at_epoch_boundaries()
    {
        var s = LrSchedule.Step(everyEpochs: 2, gamma: 0.1);
        Assert.Equal(1.0, s.Factor(0, 100, 10));
        Assert.Equal(1.0, s.Factor(19, 100, 10));
        Assert.Equal(0.1, s.Factor(20, 100, 10), 12);
        Assert.Equal(0.01, s.Factor(40, 100, 10), 12);
        Assert.Equal(1.0, LrSchedule.Constant.Factor(57, 100, 10));
    }

    [Fact]
    public void Schedules_round_trip_through_checkpoint_text()
    {
        foreach (var s in new[] { LrSchedule.Constant, LrSchedule.OneCycle(0.3, 10, 1e4), LrSchedule.OneCycle(cycleMomentum: false), LrSchedule.CosineWithWarmup(0.05, 0.1), LrSchedule.Step(3, 0.5) })
            Assert.Equal(s, LrSchedule.Deserialize(s.Serialize()));
    }
}
