using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Tests.Analysis;

public class ParetoFrontTests
{
    [Fact]
    public void FrontKeepsTheRunsNoOtherRunBeatsOnBothAxes()
    {
        var front = ParetoFront.Compute(
        [
            ("full-lr1e-4", 10.0, 5.0),
            ("lora-lr1e-3", 8.0, 2.0),
            ("full-lr1e-3", 6.0, 6.0),  // dominated by full-lr1e-4: less gain, more forgetting
            ("lora-replay", 12.0, 20.0),
            ("lora-r4", 8.0, 3.0),      // dominated by lora-lr1e-3: equal gain, more forgetting
        ]);
        Assert.Equal(["full-lr1e-4", "lora-lr1e-3", "lora-replay"], front);
    }

    [Fact]
    public void RunsWithIdenticalPointsStayOnTheFrontTogether() =>
        Assert.Equal(["a", "b"], ParetoFront.Compute([("a", 5.0, 1.0), ("b", 5.0, 1.0), ("c", 4.0, 1.0)]));

    [Fact]
    public void NoRunsGiveAnEmptyFront() => Assert.Empty(ParetoFront.Compute([]));

    [Fact]
    public void ARunWithANonFinitePointIsRejected() =>
        Assert.Throws<ArgumentException>(() => ParetoFront.Compute([("diverged", double.NaN, 1.0)]));
}
