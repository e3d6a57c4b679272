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
/// <param name="Slope">b, points per unit of ln(step), or of ln(distance) when <see cref="Input"/> is a distance.</param>
public sealed record ForgettingForecast(long AtStep, double Estimate, double Low, double High, int Checkpoints, double Intercept, double Slope)
{
    /// <summary>The model, as the run page and the API state it.</summary>
    public const string Model = "forgetting = a + b·ln(step), least squares; 95% prediction interval from the residuals";

    /// <summary>What the forecast was fitted on.</summary>
    public ForecastInput Input { get; init; } = ForecastInput.Step;

    /// <summary>The model of a forecast fitted on <paramref name="input"/>, as the run page and the API state it.</summary>
    public static string ModelOf(ForecastInput input) => input switch
    {
        ForecastInput.Step => Model,
        ForecastInput.Drift => "forgetting = a + b·ln(drift), drift = α + β·ln(step), least squares; 95% prediction interval from both fits' residuals",
        _ => "forgetting = a + b·ln(KL to base), KL = α + β·ln(step), least squares; 95% prediction interval from both fits' residuals",
    };

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

    /// <summary>
    /// The forecast through the model's distance from its base, d (<paramref name="input"/>: KL to base or parameter drift):
    /// the distance is fitted as linear in log-steps, d(t) = α + β·ln t, and forgetting as linear in its log,
    /// f = a + b·ln d, both by least squares on the same checkpoints; the forecast is a + b·ln d̂(T). Why: forgetting follows
    /// how far the weights (or the output distribution) have moved rather than the step count, and under a decaying learning
    /// rate the distance grows ever more slowly, so the forecast flattens where ln(step) alone would keep climbing. The 95%
    /// interval adds in quadrature the forgetting fit's prediction interval at ln d̂(T) and b times the distance fit's,
    /// carried to ln d by the delta method (se(ln d̂) ≈ se(d̂)/d̂), each with t(0.975, n−2). Null with fewer than
    /// <see cref="MinCheckpoints"/> checkpoints that have a positive distance, when the distances are all equal, or when the
    /// distance fit extrapolates to d̂(T) ≤ 0.
    /// </summary>
    public static ForgettingForecast? FitByDistance(IReadOnlyList<(long Step, double Forgetting, double Distance)> checkpoints, long finalStep, ForecastInput input)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentOutOfRangeException.ThrowIfLessThan(finalStep, 1);
        if (input == ForecastInput.Step) throw new ArgumentException("a distance forecast needs a distance input (drift or KL to base)", nameof(input));
        var points = checkpoints
            .Where(c => c.Step > 0 && double.IsFinite(c.Forgetting) && double.IsFinite(c.Distance) && c.Distance > 0)
            .DistinctBy(c => c.Step).ToList();
        if (points.Count < MinCheckpoints) return null;

        var n = points.Count;
        var lnStep = points.Select(p => Math.Log(p.Step)).ToArray();
        var distance = LeastSquares.Of(lnStep, [.. points.Select(p => p.Distance)]);
        var at = Math.Log(finalStep);
        var d = distance.At(at);
        if (!(d > 0)) return null;
        var lnDistance = points.Select(p => Math.Log(p.Distance)).ToArray();
        if (lnDistance.Max() - lnDistance.Min() < 1e-12) return null;

        var forgetting = LeastSquares.Of(lnDistance, [.. points.Select(p => p.Forgetting)]);
        var u = Math.Log(d);
        var t = StudentT.InvCDF(0, 1, n - 2, 0.975);
        var fromForgetting = t * forgetting.PredictionError(u);
        var fromDistance = t * forgetting.Slope * distance.PredictionError(at) / d;
        var estimate = forgetting.At(u);
        var half = Math.Sqrt(fromForgetting * fromForgetting + fromDistance * fromDistance);
        return new ForgettingForecast(finalStep, Clamp(estimate), Clamp(estimate - half), Clamp(estimate + half), n, forgetting.Intercept, forgetting.Slope)
        {
            Input = input,
        };
    }

    private static double Clamp(double points) => Math.Clamp(points, 0, 100);

    /// <summary>An ordinary least-squares line y = a + b·x with its residual standard deviation (n − 2 degrees of freedom).</summary>
    private sealed record LeastSquares(double Intercept, double Slope, double Residual, double XMean, double Sxx, int N)
    {
        public static LeastSquares Of(double[] x, double[] y)
        {
            var (n, xMean, yMean) = (x.Length, x.Average(), y.Average());
            var sxx = x.Sum(v => (v - xMean) * (v - xMean));
            var slope = x.Zip(y).Sum(p => (p.First - xMean) * (p.Second - yMean)) / sxx;
            var intercept = yMean - slope * xMean;
            var residual = Math.Sqrt(x.Zip(y).Sum(p => Math.Pow(p.Second - (intercept + slope * p.First), 2)) / (n - 2));
            return new LeastSquares(intercept, slope, residual, xMean, sxx, n);
        }

        public double At(double x) => Intercept + Slope * x;

        /// <summary>The standard error of a new observation at x: s·√(1 + 1/n + (x − x̄)²/Sxx).</summary>
        public double PredictionError(double x) => Residual * Math.Sqrt(1 + 1.0 / N + (x - XMean) * (x - XMean) / Sxx);
    }
}
