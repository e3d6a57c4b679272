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
    public void ByDistanceAnExactTrajectoryIsForecastExactlyAndFlattensWhereTheStepModelKeepsClimbing()
    {
        // drift = 0.01·ln(step) (the decaying learning rate moves the weights ever less) and forgetting = 40 + 10·ln(drift).
        static double Drift(long step) => 0.01 * Math.Log(step);
        var points = new long[] { 10, 20, 40 }.Select(s => (s, 40 + 10 * Math.Log(Drift(s)), Drift(s))).ToList();

        var forecast = ForgettingForecast.FitByDistance(points, 1000, ForecastInput.Drift)!;
        var byStep = ForgettingForecast.Fit([.. points.Select(p => (p.s, p.Item2))], 1000)!;

        Assert.Equal(40 + 10 * Math.Log(Drift(1000)), forecast.Estimate, 6);
        Assert.Equal(forecast.Estimate, forecast.Low, 6);
        Assert.Equal(forecast.Estimate, forecast.High, 6);
        Assert.Equal((ForecastInput.Drift, 3, 10.0), (forecast.Input, forecast.Checkpoints, Math.Round(forecast.Slope, 9)));
        Assert.True(byStep.Estimate > forecast.Estimate + 1, $"by step {byStep.Estimate:0.0}, by distance {forecast.Estimate:0.0}");
    }

    [Fact]
    public void ByDistanceTheIntervalAddsBothFitsPredictionErrorsInQuadrature()
    {
        var points = new List<(long, double, double)> { (10, 10, 0.02), (20, 16, 0.035), (40, 17, 0.041) };
        var f = ForgettingForecast.FitByDistance(points, 80, ForecastInput.KlToBase)!;

        // The two least-squares lines, by hand: d on ln(step), then forgetting on ln(d).
        static (double A, double B, double S, double Xm, double Sxx) Line(double[] x, double[] y)
        {
            var xm = x.Average();
            var sxx = x.Sum(v => (v - xm) * (v - xm));
            var b = x.Zip(y).Sum(p => (p.First - xm) * (p.Second - y.Average())) / sxx;
            var a = y.Average() - b * xm;
            return (a, b, Math.Sqrt(x.Zip(y).Sum(p => Math.Pow(p.Second - a - b * p.First, 2)) / (x.Length - 2)), xm, sxx);
        }
        var steps = new[] { Math.Log(10), Math.Log(20), Math.Log(40) };
        var d = Line(steps, [0.02, 0.035, 0.041]);
        var dHat = d.A + d.B * Math.Log(80);
        var seD = d.S * Math.Sqrt(1 + 1.0 / 3 + Math.Pow(Math.Log(80) - d.Xm, 2) / d.Sxx);
        var g = Line([Math.Log(0.02), Math.Log(0.035), Math.Log(0.041)], [10, 16, 17]);
        var u = Math.Log(dHat);
        var seF = g.S * Math.Sqrt(1 + 1.0 / 3 + Math.Pow(u - g.Xm, 2) / g.Sxx);
        const double t1 = 12.706204736174707; // Student t, 1 degree of freedom, 97.5%
        var half = t1 * Math.Sqrt(seF * seF + Math.Pow(g.B * seD / dHat, 2));

        Assert.Equal(g.A + g.B * u, f.Estimate, 9);
        Assert.Equal(Math.Clamp(f.Estimate - half, 0, 100), f.Low, 6);
        Assert.Equal(Math.Clamp(f.Estimate + half, 0, 100), f.High, 6);
    }

    [Fact]
    public void ByDistanceThereIsNoForecastWithTooFewMeasuredCheckpointsOrADistanceThatShrinksToNothing()
    {
        Assert.Null(ForgettingForecast.FitByDistance([(10, 5, 0.01), (20, 6, 0), (40, 7, 0.02)], 100, ForecastInput.Drift));
        Assert.Null(ForgettingForecast.FitByDistance([(10, 5, 0.03), (20, 6, 0.02), (40, 7, 0.01)], 10_000, ForecastInput.Drift));
        Assert.Null(ForgettingForecast.FitByDistance([(10, 5, 0.02), (20, 6, 0.02), (40, 7, 0.02)], 100, ForecastInput.KlToBase));
        Assert.Throws<ArgumentException>(() => ForgettingForecast.FitByDistance([(10, 5, 0.01), (20, 6, 0.02), (40, 7, 0.03)], 100, ForecastInput.Step));
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
