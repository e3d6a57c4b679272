using ForgetLab.Core.Plots;

namespace ForgetLab.Core.Tests.Plots;

public class PowerLawFitTests
{
    [Fact]
    public void AnExactPowerLawIsRecoveredWithRSquaredOne()
    {
        var fit = PowerLawFit.Fit([.. new[] { 10.0, 20, 40, 80, 160 }.Select(x => (x, 3 * Math.Pow(x, 0.5)))])!;

        Assert.Equal(3, fit.A, 9);
        Assert.Equal(0.5, fit.Exponent, 9);
        Assert.Equal(1, fit.RSquared, 9);
        Assert.Equal(5, fit.Used);
        Assert.Equal(3 * Math.Sqrt(1000), fit.At(1000), 6);
    }

    [Fact]
    public void TheFitIsLeastSquaresInLogLogSpace()
    {
        // ln y = 0, 1, 1, 2 at ln x = 0, 1, 2, 3: slope 0.6, intercept 0.1, R² = 1 − 0.2/2 (SS_res over SS_tot of ln y).
        var points = new[] { (0.0, 0.0), (1.0, 1.0), (2.0, 1.0), (3.0, 2.0) }.Select(p => (Math.Exp(p.Item1), Math.Exp(p.Item2)));

        var fit = PowerLawFit.Fit(points)!;

        Assert.Equal(0.6, fit.Exponent, 9);
        Assert.Equal(Math.Exp(0.1), fit.A, 9);
        Assert.Equal(1 - 0.2 / 2, fit.RSquared, 9);
    }

    [Fact]
    public void PointsWithoutALogarithmAreLeftOut()
    {
        var fit = PowerLawFit.Fit([(1, 0), (2, 4), (4, 16), (0, 5), (8, double.NaN)])!;

        Assert.Equal(2, fit.Used);
        Assert.Equal(2, fit.Exponent, 9);
    }

    [Fact]
    public void FewerThanTwoDistinctUsablePointsGiveNoFit()
    {
        Assert.Null(PowerLawFit.Fit([(1, 1)]));
        Assert.Null(PowerLawFit.Fit([(2, 1), (2, 3)]));
        Assert.Null(PowerLawFit.Fit([(1, 0), (2, 0), (3, -1)]));
    }
}
