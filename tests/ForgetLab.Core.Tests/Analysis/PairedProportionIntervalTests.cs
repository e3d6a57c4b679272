using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Tests.Analysis;

public class PairedProportionIntervalTests
{
    /// <summary>
    /// Newcombe (1998), Stat Med 17:2635–2650, Table III, method 10: the table's cells (e, f, g, h) with
    /// θ = (f − g)/n and the printed 95% limits. In our terms the first proportion is the checkpoint's:
    /// e = both right, f = gained, g = lost, h = both wrong.
    /// </summary>
    public static TheoryData<int, int, int, int, double, double> NewcombeTableIII => new()
    {
        { 36, 12, 2, 0, 0.0569, 0.3404 }, { 20, 12, 2, 16, 0.0562, 0.3292 }, { 18, 12, 2, 18, 0.0562, 0.3290 },
        { 36, 14, 0, 0, 0.1528, 0.4167 }, { 35, 14, 0, 1, 0.1461, 0.4175 }, { 18, 14, 0, 18, 0.1441, 0.3963 },
        { 2, 97, 1, 0, 0.8721, 0.9854 }, { 0, 29, 1, 0, 0.6666, 0.9882 },
        { 2, 98, 0, 0, 0.9178, 0.9945 }, { 1, 98, 0, 1, 0.9171, 0.9916 }, { 0, 30, 0, 0, 0.8395, 1.0 },
        { 54, 0, 0, 0, -0.0664, 0.0664 }, { 53, 0, 0, 1, -0.0729, 0.0729 }, { 30, 0, 0, 24, -0.0358, 0.0358 },
        { 29, 0, 0, 25, -0.0354, 0.0354 }, { 28, 0, 0, 26, -0.0352, 0.0352 }, { 27, 0, 0, 27, -0.0351, 0.0351 },
    };

    [Theory]
    [MemberData(nameof(NewcombeTableIII))]
    public void NewcombeIntervalReproducesNewcombesPublishedMethod10Limits(int e, int f, int g, int h, double low, double high)
    {
        var ci = PairedProportionInterval.Newcombe95(bothCorrect: e, lost: g, gained: f, bothWrong: h);
        Assert.Equal(low, ci.Low, 0.00005);
        Assert.Equal(high, ci.High, 0.00005);
    }

    [Fact]
    public void NewcombeIntervalMatchesTheOneRowOfTableIIIThatIsPrintedInconsistently()
    {
        // e·h < f·g here, so φ < 0 and the limits follow from the formula alone; Newcombe prints 0.8736,
        // the formula gives 0.87367 (the same table's method 8 row prints 0.8737): one unit in the 4th place.
        var ci = PairedProportionInterval.Newcombe95(bothCorrect: 1, lost: 1, gained: 97, bothWrong: 1);
        Assert.Equal(0.8736, ci.Low, 0.0001);
        Assert.Equal(0.9850, ci.High, 0.00005);
    }

    [Fact]
    public void NewcombeIntervalMatchesFagerlandLydersenLaakesWorkedExample()
    {
        // Cavo et al. 2012 as used by Fagerland, Lydersen & Laake (Statistical Analysis of Contingency Tables, ch. 8):
        // rows = first test (+, −), columns = second; estimate −0.0621, Newcombe square-and-add −0.1186 to −0.0046.
        var ci = PairedProportionInterval.Newcombe95(bothCorrect: 59, lost: 16, gained: 6, bothWrong: 80);
        Assert.Equal(-0.1186, ci.Low, 0.00005);
        Assert.Equal(-0.0046, ci.High, 0.00005);
    }

    [Fact]
    public void NewcombeIntervalKeepsItsWidthWhenEveryKnownItemIsLost()
    {
        // 100 items all right at base and all wrong after: Wald gives [−1, −1]; Newcombe leaves room for a true loss under 100%.
        Assert.Equal(new ConfidenceInterval(-1, -1), PairedProportionInterval.Wald95(b: 100, c: 0, n: 100));
        var ci = PairedProportionInterval.Newcombe95(bothCorrect: 0, lost: 100, gained: 0, bothWrong: 0);
        Assert.Equal(-1.0, ci.Low);
        Assert.Equal(-0.9477, ci.High, 0.0001);
    }

    [Fact]
    public void NewcombeIntervalHasWidthWhenNothingChanged()
    {
        // No discordant item: Wald collapses to [0, 0], Newcombe does not (the truth may still be a small change).
        Assert.Equal(new ConfidenceInterval(0, 0), PairedProportionInterval.Wald95(0, 0, 200));
        var ci = PairedProportionInterval.Newcombe95(bothCorrect: 150, lost: 0, gained: 0, bothWrong: 50);
        Assert.Equal(-0.0135, ci.Low, 0.0001);
        Assert.Equal(0.0135, ci.High, 0.0001);
    }

    [Fact]
    public void TangoIntervalMatchesFagerlandLydersenLaakesWorkedExamples()
    {
        // Cavo et al. 2012 (59, 6 / 16, 80): Tango asymptotic score −0.1240 to −0.0054; Bentur et al. 2009 (1, 1 / 7, 12): −0.5172 to −0.0260.
        var cavo = PairedProportionInterval.Tango95(lost: 16, gained: 6, n: 161);
        Assert.Equal(-0.1240, cavo.Low, 0.00005);
        Assert.Equal(-0.0054, cavo.High, 0.00005);
        var bentur = PairedProportionInterval.Tango95(lost: 7, gained: 1, n: 21);
        Assert.Equal(-0.5172, bentur.Low, 0.00005);
        Assert.Equal(-0.0260, bentur.High, 0.00005);
    }

    [Fact]
    public void TangoIntervalKeepsItsWidthAtTheEdges()
    {
        // Nothing changed of 200: ±z²/(n + z²). Everything lost of 100: [−1, −0.926], where Wald gives [−1, −1].
        var none = PairedProportionInterval.Tango95(0, 0, 200);
        Assert.Equal(-0.018845, none.Low, 6);
        Assert.Equal(0.018845, none.High, 6);
        var all = PairedProportionInterval.Tango95(lost: 100, gained: 0, n: 100);
        Assert.Equal(-1.0, all.Low);
        Assert.Equal(-0.926013, all.High, 6);
        var gainedAll = PairedProportionInterval.Tango95(lost: 0, gained: 3, n: 3);
        Assert.Equal(-0.1230, gainedAll.Low, 0.00005);
        Assert.Equal(1.0, gainedAll.High);
    }

    [Fact]
    public void WilsonIntervalMatchesPublishedValues()
    {
        // Newcombe (1998, Stat Med 17:857) Table I: 0/10 → 0 to 0.2775; 81/263 → 0.2553 to 0.3662.
        var none = PairedProportionInterval.Wilson95(0, 10);
        Assert.Equal(0.0, none.Low);
        Assert.Equal(0.2775, none.High, 0.00005);
        var some = PairedProportionInterval.Wilson95(81, 263);
        Assert.Equal(0.2553, some.Low, 0.00005);
        Assert.Equal(0.3662, some.High, 0.00005);
    }

    [Fact]
    public void WaldIntervalMatchesTheHandWorkedExample()
    {
        // b = 10 lost, c = 2 gained, n = 100: d = −0.08,
        // se = sqrt(12 − 64/100)/100 = sqrt(11.36)/100 = 0.033704599,
        // d ± 1.959964·se = [−0.146060, −0.013940].
        var ci = PairedProportionInterval.Wald95(b: 10, c: 2, n: 100);
        Assert.Equal(-0.146060, ci.Low, 6);
        Assert.Equal(-0.013940, ci.High, 6);
    }

    [Fact]
    public void IntervalsStayWithinMinusOneAndOne()
    {
        var wald = PairedProportionInterval.Wald95(b: 3, c: 0, n: 4);
        Assert.InRange(wald.Low, -1.0, wald.High);
        Assert.InRange(wald.High, wald.Low, 1.0);
        var newcombe = PairedProportionInterval.Newcombe95(0, 3, 0, 1);
        Assert.InRange(newcombe.Low, -1.0, newcombe.High);
        Assert.InRange(newcombe.High, newcombe.Low, 1.0);
    }
}
