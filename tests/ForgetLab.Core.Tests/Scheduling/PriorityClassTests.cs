using ForgetLab.Core.Scheduling;
using static ForgetLab.Core.Tests.Scheduling.Pool;

namespace ForgetLab.Core.Tests.Scheduling;

public class PriorityClassTests
{
    [Fact]
    public void WithinATenantAHigherClassGoesBeforeAHigherPriority()
    {
        QueuedRun[] runs =
        [
            new("normal-urgent", "a", 9, T0),
            new("high-plain", "a", 0, T0.AddHours(1), Class: PriorityClass.High),
            new("low-urgent", "a", 9, T0.AddHours(-1), Class: PriorityClass.Low),
        ];

        var decision = Decide([Tenant("a")], runs, Devices(1, 2));

        Assert.Equal(["high-plain", "normal-urgent"], decision.Placements.Select(p => p.RunId));
    }

    [Fact]
    public void AHighRunOfATenantHoldingMoreStillGoesBeforeANormalRunOfOneHoldingLess()
    {
        // Default weights: high 4, normal 1. a holds 3 (load 3/4), b holds 1 (load 1): a goes first.
        var decision = Decide(
            [Tenant("a"), Tenant("b")],
            [.. Runs("a", 1, priorityClass: PriorityClass.High), .. Runs("b", 1)],
            Devices(1, 1),
            [new Allocation("a", 3), new Allocation("b", 1)]);

        Assert.Equal("a", Assert.Single(decision.Placements).TenantId);
    }

    [Fact]
    public void ClassWeightsShadeTheFairShareRatherThanOverrideIt()
    {
        // a holds 8 (high load 8/4 = 2), b holds 1 (normal load 1): b goes first.
        var decision = Decide(
            [Tenant("a"), Tenant("b")],
            [.. Runs("a", 1, priorityClass: PriorityClass.High), .. Runs("b", 1)],
            Devices(1, 1),
            [new Allocation("a", 8), new Allocation("b", 1)]);

        Assert.Equal("b", Assert.Single(decision.Placements).TenantId);
    }

    [Fact]
    public void ATenantWhoseHighRunDoesNotFitCompetesWithTheClassOfTheRunThatDoes()
    {
        // a's high run needs 4 devices (none fit), its normal one competes at normal weight: a holds 2, b 1, so b wins.
        QueuedRun[] runs =
        [
            new("a-big", "a", 0, T0, 4, DeviceKind.Cuda, PriorityClass.High),
            new("a-small", "a", 0, T0, 1, DeviceKind.Cuda),
            new("b-small", "b", 0, T0, 1, DeviceKind.Cuda),
        ];

        var decision = Decide([Tenant("a"), Tenant("b")], runs, Devices(1, 1), [new Allocation("a", 2), new Allocation("b", 1)]);

        Assert.Equal("b-small", Assert.Single(decision.Placements).RunId);
    }

    [Fact]
    public void WithEveryRunNormalTheOrderIsThePlainWeightedFairShare()
    {
        var decision = Decide(
            [Tenant("light", weight: 1), Tenant("heavy", weight: 3)],
            [.. Runs("light", 20), .. Runs("heavy", 20)],
            Devices(workers: 4, perWorker: 4));

        Assert.Equal(new Dictionary<string, int> { ["light"] = 4, ["heavy"] = 12 }, decision.DevicesByTenant());
    }

    [Fact]
    public void AnUnknownClassIsRejectedNamingTheRun()
    {
        var error = Assert.Throws<ArgumentException>(() => RunQueue.From([new QueuedRun("r1", "a", 0, T0, Class: (PriorityClass)7)]));
        Assert.Contains("'r1'", error.Message);
        Assert.Contains("class", error.Message);
    }

    [Theory]
    [InlineData("low", PriorityClass.Low)]
    [InlineData("normal", PriorityClass.Normal)]
    [InlineData("high", PriorityClass.High)]
    public void ClassNamesParseToTheirClassAndBack(string name, PriorityClass expected)
    {
        Assert.True(PriorityClasses.TryParse(name, out var parsed));
        Assert.Equal(expected, parsed);
        Assert.Equal(name, PriorityClasses.Name(parsed));
    }

    [Theory]
    [InlineData("High")]
    [InlineData("urgent")]
    [InlineData("")]
    [InlineData(null)]
    public void OnlyTheExactLowerCaseNamesAreClasses(string? name) => Assert.False(PriorityClasses.TryParse(name, out _));
}
