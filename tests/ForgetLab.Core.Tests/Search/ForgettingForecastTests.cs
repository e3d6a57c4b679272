using ForgetLab.Core.Search;

namespace ForgetLab.Core.Tests.Search;

public class ForgettingForecastTests
{
    [Fact]
    public void AnExactLogLinearGrowthIsForecastExactlyWithAZeroWidthInterval()
    {
        // f = 2 + 5·ln(step): at step 1000, 2 + 5·ln 1000 = 36.539.
        var points = new long[] { 10, 20, 40, 80 }.Select(s => (s, 2 + 5 * Math.Log(s))).ToList();
        var forecast = ForgettingForecast.Fit(points, 1000)!;
        Assert.Equal(2 + 5 * Math.Log(1000), forecast.Estimate, 9);
        Assert.Equal(forecast.Estimate, forecast.Low, 6);
        Assert.Equal(forecast.Estimate, forecast.High, 6);
        Assert.Equal(5, forecast.Slope, 9);
        Assert.Equal(4, forecast.Checkpoints);
    }

    [Fact]
    public void NoisyCheckpointsGiveAnIntervalAroundTheForecastThatWidensFurtherOut()
    {
        var points = new List<(long, double)> { (10, 5), (20, 9), (30, 9.5), (40, 13) };
        var near = ForgettingForecast.Fit(points, 50)!;
        var far = ForgettingForecast.Fit(points, 5000)!;
        Assert.True(near.Low < near.Estimate && near.Estimate < near.High);
        Assert.True(far.High - far.Low > near.High - near.Low);
    }

    [Fact]
    public void TheIntervalIsTheStudentPredictionInterval()
    {
        // Three points, one degree of freedom: half-width = 12.706·s·sqrt(1 + 1/3 + (ln T − x̄)²/Sxx).
        var points = new List<(long, double)> { (10, 4), (100, 10), (1000, 13) };
        var f = ForgettingForecast.Fit(points, 100)!;
        var x = new[] { Math.Log(10), Math.Log(100), Math.Log(1000) };
        var y = new[] { 4.0, 10, 13 };
        var xm = x.Average();
        var sxx = x.Sum(v => (v - xm) * (v - xm));
        var b = x.Zip(y).Sum(p => (p.First - xm) * (p.Second - y.Average())) / sxx;
        var a = y.Average() - b * xm;
        var s = Math.Sqrt(x.Zip(y).Sum(p => Math.Pow(p.Second - a - b * p.First, 2)));
        var half = 12.7062047361747 * s * Math.Sqrt(1 + 1.0 / 3 + Math.Pow(Math.Log(100) - xm, 2) / sxx);
        Assert.Equal(a + b * Math.Log(100), f.Estimate, 9);
        Assert.Equal(Math.Min(100, f.Estimate + half), f.High, 6);
        Assert.Equal(Math.Max(0, f.Estimate - half), f.Low, 6);
    }

    [Fact]
    public void FewerThanThreeCheckpointsAfterStepZeroForecastNothing() =>
        Assert.Null(ForgettingForecast.Fit([(0, 0), (10, 4), (20, 6)], 100));

    [Fact]
    public void TheForecastNeverLeavesZeroToAHundredPoints()
    {
        var f = ForgettingForecast.Fit([(10, 40), (20, 70), (40, 99)], 1_000_000)!;
        Assert.Equal(100, f.Estimate);
        Assert.Equal(100, f.High);
    }
}
