using MathNet.Numerics.Distributions;

namespace ForgetLab.Core.Search;

/// <summary>
/// How much a run will have forgotten at its last step, forecast from its first checkpoints: forgetting (points, the
/// report's <c>forgetting_points</c>) is fitted as linear in log-steps, f(t) = a + b·ln t, by least squares, and the
/// interval is the fit's 95% prediction interval at the last step, ŷ ± t(0.975, n−2)·s·√(1 + 1/n + (ln T − x̄)²/Sxx), from
/// the residuals' standard deviation s. Both are clamped to [0, 100] points. With three checkpoints the Student t has one
/// degree of freedom (12.7) and the interval says honestly how little three points tell. KL to base and drift are shown
/// beside it on the run page but are not inputs of this model.
/// </summary>
/// <param name="AtStep">The step forecast (the run's last).</param>
/// <param name="Checkpoints">The checkpoints fitted.</param>
/// <param name="Intercept">a, points.</param>
/// <param name="Slope">b, points per unit of ln(step).</param>
public sealed record ForgettingForecast(long AtStep, double Estimate, double Low, double High, int Checkpoints, double Intercept, double Slope)
{
    /// <summary>The model, as the run page and the API state it.</summary>
    public const string Model = "forgetting = a + b·ln(step), least squares; 95% prediction interval from the residuals";

    /// <summary>The fewest checkpoints a forecast is fitted on (two points leave no residual to size an interval).</summary>
    public const int MinCheckpoints = 3;

    /// <summary>
    /// The forecast at <paramref name="finalStep"/> from checkpoints at steps &gt; 0 (step 0 has no log), or null with fewer
    /// than <see cref="MinCheckpoints"/> of them.
    /// </summary>
    public static ForgettingForecast? Fit(IReadOnlyList<(long Step, double Forgetting)> checkpoints, long finalStep)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentOutOfRangeException.ThrowIfLessThan(finalStep, 1);
        var points = checkpoints.Where(c => c.Step > 0 && double.IsFinite(c.Forgetting)).DistinctBy(c => c.Step).ToList();
        if (points.Count < MinCheckpoints) return null;

        var x = points.Select(p => Math.Log(p.Step)).ToArray();
        var y = points.Select(p => p.Forgetting).ToArray();
        var n = x.Length;
        var xMean = x.Average();
        var yMean = y.Average();
        var sxx = x.Sum(v => (v - xMean) * (v - xMean));
        var slope = x.Zip(y).Sum(p => (p.First - xMean) * (p.Second - yMean)) / sxx;
        var intercept = yMean - slope * xMean;
        var residual = Math.Sqrt(x.Zip(y).Sum(p => Math.Pow(p.Second - (intercept + slope * p.First), 2)) / (n - 2));
        var at = Math.Log(finalStep);
        var estimate = intercept + slope * at;
        var half = StudentT.InvCDF(0, 1, n - 2, 0.975) * residual * Math.Sqrt(1 + 1.0 / n + (at - xMean) * (at - xMean) / sxx);
        return new ForgettingForecast(finalStep, Clamp(estimate), Clamp(estimate - half), Clamp(estimate + half), n, intercept, slope);
    }

    private static double Clamp(double points) => Math.Clamp(points, 0, 100);
}
