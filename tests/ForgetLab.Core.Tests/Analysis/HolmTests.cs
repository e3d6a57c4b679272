using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Tests.Analysis;

public class HolmTests
{
    [Fact]
    public void TextbookExampleIsAdjustedStepDownInInputOrder()
    {
        // Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → raised to 0.06.
        var adjusted = Holm.Adjust([0.01, 0.04, 0.03, 0.005]);
        Assert.Equal([0.03, 0.06, 0.06, 0.02], adjusted.Select(p => Math.Round(p, 12)));
    }

    [Fact]
    public void AdjustedValuesNeverDecreaseWithTheRawOrder()
    {
        // 0.01·3 = 0.03, 0.02·2 = 0.04, 0.03·1 = 0.03 → must not fall below 0.04.
        var adjusted = Holm.Adjust([0.01, 0.02, 0.03]);
        Assert.Equal([0.03, 0.04, 0.04], adjusted.Select(p => Math.Round(p, 12)));
    }

    [Fact]
    public void AdjustedValuesAreCappedAtOne() =>
        Assert.Equal([1.0, 1.0], Holm.Adjust([0.5, 0.6]));

    [Fact]
    public void ASingleTestIsLeftUnchanged() => Assert.Equal([0.037], Holm.Adjust([0.037]));

    [Fact]
    public void NoTestsGiveNoAdjustedValues() => Assert.Empty(Holm.Adjust([]));

    [Fact]
    public void APValueOutsideTheUnitIntervalIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Holm.Adjust([0.2, double.NaN]));
}
