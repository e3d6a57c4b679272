namespace ForgetLab.Core.Plots;

/// <summary>
/// y = a · x^b fitted by ordinary least squares on (ln x, ln y): b is the slope, ln a the intercept,
/// and R² is the share of the variance of ln y the line explains. Points with x ≤ 0 or y ≤ 0 have no
/// logarithm and are left out (<see cref="Used"/> says how many were kept).
/// </summary>
public sealed record PowerLawFit(double A, double Exponent, double RSquared, int Used)
{
    public double At(double x) => A * Math.Pow(x, Exponent);

    /// <summary>The fit, or null when fewer than two usable points with distinct x remain.</summary>
    public static PowerLawFit? Fit(IEnumerable<(double X, double Y)> points)
    {
        var logs = points.Where(p => p.X > 0 && p.Y > 0 && double.IsFinite(p.X) && double.IsFinite(p.Y))
            .Select(p => (X: Math.Log(p.X), Y: Math.Log(p.Y))).ToList();
        if (logs.Count < 2) return null;
        var mx = logs.Average(p => p.X);
        var my = logs.Average(p => p.Y);
        var sxx = logs.Sum(p => (p.X - mx) * (p.X - mx));
        if (sxx <= 0) return null;
        var sxy = logs.Sum(p => (p.X - mx) * (p.Y - my));
        var slope = sxy / sxx;
        var intercept = my - slope * mx;
        var ssTotal = logs.Sum(p => (p.Y - my) * (p.Y - my));
        var ssResidual = logs.Sum(p => Math.Pow(p.Y - (intercept + slope * p.X), 2));
        // All y equal: the flat line explains everything there is to explain.
        var r2 = ssTotal > 0 ? 1 - ssResidual / ssTotal : 1;
        return new PowerLawFit(Math.Exp(intercept), slope, r2, logs.Count);
    }
}
