using ForgetLab.Core.Specs.Rl;
using ForgetLab.Lab.Rl;

namespace ForgetLab.Lab.Tests.Rl;

/// <summary>Ziegler et al. 2019's update: β ← β·(1 + clip(KL/target − 1, ±0.2)·n/horizon).</summary>
public class KlControllerTests
{
    [Fact]
    public void AKlAboveTargetRaisesBetaByTheClippedProportionalError()
    {
        var c = new KlController(0.1, new AdaptiveKlSpec { Target = 6, Horizon = 10000 });
        Assert.Equal(0.1 * (1 + 0.2 * 64 / 10000.0), c.Update(meanKl: 12, completions: 64), 12);   // error 1 clipped to 0.2
        var d = new KlController(0.1, new AdaptiveKlSpec { Target = 6, Horizon = 100 });
        Assert.Equal(0.1 * (1 + 0.1 * 10 / 100.0), d.Update(meanKl: 6.6, completions: 10), 12);   // error 0.1 unclipped
    }

    [Fact]
    public void AKlBelowTargetLowersBetaAndAKlOnTargetKeepsIt()
    {
        var c = new KlController(0.2, new AdaptiveKlSpec { Target = 4, Horizon = 1000 });
        Assert.Equal(0.2 * (1 - 0.2 * 8 / 1000.0), c.Update(meanKl: 1, completions: 8), 12);
        var before = c.Beta;
        Assert.Equal(before, c.Update(meanKl: 4, completions: 8), 12);
    }

    [Fact]
    public void AFixedBetaNeverMoves() => Assert.Equal(0.05, new KlController(0.05, null).Update(100, 64));
}
