using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Models;
using ForgetLab.Core.Specs;
using ForgetLab.Grains.Common;

namespace ForgetLab.Grains.Tests;

/// <summary>Priority classes, memory fit and gang reservation through the pool grain, with the platform clock moved by hand.</summary>
[Collection(PoolCollection.Name)]
public sealed class PoolPolicyTests(PoolCluster cluster)
{
    private const long GiB = 1L << 30;

    [Fact]
    public async Task HighClassRunsGetThreeOfFourDevicesAgainstAnEqualTenantsNormalRuns()
    {
        await using var scenario = new PoolScenario(cluster);
        var plain = await scenario.Tenant("plain", weight: 1);
        var urgent = await scenario.Tenant("urgent", weight: 1);
        await scenario.Submit(plain, "normal-sweep", runs: 4);
        await scenario.Submit(urgent, "high-sweep", runs: 4, priorityClass: "high");
        var worker = await scenario.Worker("gpu-c", gpus: 4);

        var devices = PoolScenario.DevicesByTenant(await scenario.Pool.RequestLeases(worker));

        // Class weights high 4, normal 1: urgent's load is a quarter of plain's per device held.
        Assert.Equal(3, devices[urgent]);
        Assert.Equal(1, devices[plain]);
    }

    [Fact]
    public async Task AnUnknownPriorityClassIsRefusedNamingTheField()
    {
        var tenant = await new PoolScenario(cluster).Tenant("typo", weight: 1);
        var reply = await cluster.Client.GetGrain<IExperimentGrain>(GrainKeys.Experiment(tenant, "typo"))
            .Submit(Callers.Member(tenant), new ExperimentSubmission(Specs.Valid("typo"), PriorityClass: "urgent"));

        Assert.Equal(ReplyStatus.Invalid, reply.Status);
        Assert.Contains(reply.Errors, e => e.Path == "priorityClass" && e.Message.Contains("low, normal, high", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARunThatFitsNoRegisteredDevicesMemoryStaysQueuedSayingWhyUntilALargerDeviceRegisters()
    {
        await using var scenario = new PoolScenario(cluster);
        var team = await scenario.Tenant("big-model", weight: 1);
        // Larger than the 80 GiB the collection's other workers report, so none of them fits it either.
        await scenario.Submit(team, "large", runs: 1, memoryGb: 100);
        var small = await scenario.Worker("gpu-40", gpus: 2, memoryBytes: 40 * GiB);

        Assert.Empty(await scenario.Pool.RequestLeases(small));
        var queued = Assert.Single((await scenario.Pool.GetSnapshot()).Queued, q => q.TenantId == team);
        Assert.Equal(100 * GiB, queued.MemoryBytes);
        Assert.StartsWith("needs 100.0 GiB per device; the largest cuda device has ", queued.Unplaceable);

        var large = await scenario.Worker("gpu-120", gpus: 2, memoryBytes: 120 * GiB);
        Assert.Null(Assert.Single((await scenario.Pool.GetSnapshot()).Queued, q => q.TenantId == team).Unplaceable);
        var lease = Assert.Single(await scenario.Pool.RequestLeases(large));
        Assert.Equal(team, lease.TenantId);
    }

    [Fact]
    public async Task EveryRunIsSubmittedWithItsMemoryEstimateWhichThePoolPlacesItWith()
    {
        await using var scenario = new PoolScenario(cluster);
        var team = await scenario.Tenant("estimated", weight: 1);
        await scenario.Submit(team, "small", runs: 1);

        var run = (await scenario.Run(GrainKeys.Run(team, "small", Specs.RunName(1))).Get(Callers.Member(team))).Value!;
        var spec = SpecLoader.Parse(Specs.Valid("small"), "small.yaml", null);
        var expected = RunMemoryEstimate.For(BaseModelShape.OfWorld(spec.Base).Shape, 64, spec, GridExpansion.Expand(spec).Single());
        Assert.Equal(expected.Bytes, run.Memory!.EstimateBytes);
        Assert.Null(run.Memory.DeclaredBytes);
        Assert.Equal("estimate", run.Memory.Source);
        Assert.Equal(expected.Describe(), run.Memory.Basis);
        Assert.Equal(expected.Bytes, Assert.Single((await scenario.Pool.GetSnapshot()).Queued, q => q.TenantId == team).MemoryBytes);
    }

    [Fact]
    public async Task ARunWhoseEstimateExceedsEveryDeviceStaysQueuedNamingTheLargestDeviceWhileADeclaredFigureOverridesIt()
    {
        await using var scenario = new PoolScenario(cluster);
        var team = await scenario.Tenant("huge", weight: 1);
        await scenario.Submit(team, "huge", runs: 1, model: Specs.HugeModel);
        await scenario.Submit(team, "declared", runs: 1, model: Specs.HugeModel, memoryGb: 30);
        var worker = await scenario.Worker("gpu-32", gpus: 1, memoryBytes: 32 * GiB);

        // The declared 30 GiB wins over the terabytes estimated, so that run goes; the other fits no device the pool knows.
        var lease = Assert.Single(await scenario.Pool.RequestLeases(worker));
        Assert.EndsWith("/declared/" + Specs.RunName(1), lease.RunKey);
        var huge = Assert.Single(await scenario.Pool.QueuedStatus([GrainKeys.Run(team, "huge", Specs.RunName(1))]));
        Assert.True(huge.MemoryBytes > 1000 * GiB, $"{huge.MemoryBytes}");
        Assert.Matches(@"^needs \d+\.\d GiB per device; the largest cuda device has \d+\.\d GiB \(worker \S+ cuda:\d+\)$", huge.Unplaceable);
        var declared = (await scenario.Run(lease.RunKey).Get(Callers.Member(team))).Value!.Memory!;
        Assert.Equal(("declared", 30 * GiB), (declared.Source, declared.PlacementBytes!.Value));
        Assert.True(declared.EstimateBytes > 1000 * GiB);
    }

    [Fact]
    public async Task AGangRunWaitingPastTheBoundReservesADrainingWorkerThatSmallRunsThenCannotTake()
    {
        await using var scenario = new PoolScenario(cluster);
        var small = await scenario.Tenant("singles", weight: 1);
        var big = await scenario.Tenant("gang", weight: 1);
        await scenario.Submit(small, "first", runs: 1);
        var worker = await scenario.Worker("gpu-g", gpus: 2);
        var busy = Assert.Single(await scenario.Pool.RequestLeases(worker));

        await scenario.Submit(big, "pair", runs: 1, devicesPerRun: 2);
        await scenario.Submit(small, "more", runs: 1);

        // 31 minutes pass with the worker heartbeating; the two-device run waits past the 30-minute bound.
        for (var minute = 0; minute < 31; minute++)
        {
            cluster.Clock.Advance(TimeSpan.FromMinutes(1));
            await scenario.Pool.Heartbeat(worker, [busy.LeaseId]);
        }

        // One device is free and a one-device run is queued, but the worker is held for the pair.
        Assert.Empty(await scenario.Pool.RequestLeases(worker));
        var pair = Assert.Single((await scenario.Pool.GetSnapshot()).Queued, q => q.TenantId == big);
        Assert.Equal(worker, pair.ReservedWorker);

        // The busy run ends: the drained worker goes to the pair, both devices.
        await scenario.Pool.ReleaseLease(worker, busy.LeaseId);
        var grants = await scenario.Pool.RequestLeases(worker);
        var gang = Assert.Single(grants, g => g.TenantId == big);
        Assert.Equal(["cuda:0", "cuda:1"], gang.DeviceIds);
    }
}
