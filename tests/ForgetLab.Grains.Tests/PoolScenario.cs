using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Contracts.Tenants;
using ForgetLab.Grains.Common;

namespace ForgetLab.Grains.Tests;

/// <summary>
/// The one pool test fixture: tenants, experiments and workers of one pool test, and the worker's side of a lease played by
/// hand (start, checkpoint, finish). The pool is one grain shared by the whole collection, so disposing the scenario cancels
/// its experiments (taking their runs off the queue) and releases its workers' leases.
/// </summary>
internal sealed class PoolScenario : IAsyncDisposable
{
    /// <summary>A well-formed SHA-256 for checkpoints the tests report (the pool and the run check its shape, never the bytes).</summary>
    public const string Sha = "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c";

    private readonly ClusterFixture _cluster;
    private readonly List<(string Tenant, string Experiment)> _experiments = [];
    private readonly List<string> _workers = [];

    /// <param name="afterEarlierWorkersWentQuiet">
    /// Move the clock past the collection's earlier leases first (three TTLs), so their workers' devices are free and a run that
    /// fits one is placed there rather than preempted for.
    /// </param>
    public PoolScenario(ClusterFixture cluster, bool afterEarlierWorkersWentQuiet = false)
    {
        _cluster = cluster;
        if (afterEarlierWorkersWentQuiet) cluster.Clock.Advance(3 * ClusterFixture.LeaseTtl);
    }

    public IGpuPoolGrain Pool => _cluster.Client.GetGrain<IGpuPoolGrain>(GrainKeys.Pool);

    public IRunGrain Run(string runKey) => _cluster.Client.GetGrain<IRunGrain>(runKey);

    public IRunGrain Run(LeaseGrant lease) => Run(lease.RunKey);

    public IExperimentGrain Experiment(string tenant, string name) => _cluster.Client.GetGrain<IExperimentGrain>(GrainKeys.Experiment(tenant, name));

    /// <summary>
    /// The set-up most pool tests open with: a tenant of weight 1 submits <paramref name="runs"/> one-device runs, a worker with
    /// <paramref name="gpus"/> devices registers and asks for leases.
    /// </summary>
    public async Task<Leased> LeaseRuns(string tenantPrefix, string experiment, int runs, string workerPrefix, int gpus, string extra = "")
    {
        var tenant = await Tenant(tenantPrefix, weight: 1);
        await Submit(tenant, experiment, runs, extra: extra);
        var worker = await Worker(workerPrefix, gpus);
        return new Leased(tenant, worker, await Pool.RequestLeases(worker));
    }

    /// <summary>The worker's job starts the run of <paramref name="lease"/>.</summary>
    public async Task<IRunGrain> Start(LeaseGrant lease)
    {
        var run = Run(lease);
        Assert.Equal(ReportOutcome.Applied, (await run.Started(new RunStarted(lease.LeaseId))).Outcome);
        return run;
    }

    /// <summary>The run of a lease starts and completes, and its worker releases the lease.</summary>
    public async Task Finish(LeaseGrant lease)
    {
        var run = await Start(lease);
        await run.Finished(new RunFinished(lease.LeaseId, 50, false, "completed"));
        var workerId = lease.LeaseId[..lease.LeaseId.LastIndexOf('/')];
        Assert.True(await Pool.ReleaseLease(workerId, lease.LeaseId));
    }

    public async Task<string> Tenant(string prefix, double weight, int maxDevices = int.MaxValue, double? deviceHours = null, int guaranteedDevices = 0)
    {
        var id = Callers.NewTenant(prefix);
        var reply = await _cluster.Client.GetGrain<ITenantGrain>(id)
            .Configure(Callers.Platform, new TenantSettings(prefix, weight, maxDevices, deviceHours) { GuaranteedDevices = guaranteedDevices });
        Assert.Equal(ReplyStatus.Ok, reply.Status);
        return id;
    }

    public async Task<ExperimentView> Submit(
        string tenant, string name, int runs, int devicesPerRun = 1, string priorityClass = "normal", double? memoryGb = null, string model = Specs.SmallModel,
        string extra = "")
    {
        var spec = Specs.Valid(name, runs, model) + extra + (memoryGb is { } gb ? $"\nresources:\n  memory_gb: {gb.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n" : "");
        var reply = await Experiment(tenant, name)
            .Submit(Callers.Member(tenant), new ExperimentSubmission(spec, DeviceKind: "cuda", DevicesPerRun: devicesPerRun, PriorityClass: priorityClass));
        Assert.Equal(ReplyStatus.Ok, reply.Status);
        _experiments.Add((tenant, name));
        return reply.Value!;
    }

    /// <summary>A worker with <paramref name="gpus"/> devices of <paramref name="memoryBytes"/> each (80 GiB unless given: every run has a memory estimate, and the pool places a run only on a device that reports enough).</summary>
    public async Task<string> Worker(string prefix, int gpus, long? memoryBytes = 80L << 30)
    {
        var id = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        await Pool.RegisterWorker(new WorkerRegistration(id, [.. Enumerable.Range(0, gpus).Select(i => new WorkerDevice($"cuda:{i}", "cuda", memoryBytes))]));
        _workers.Add(id);
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (tenant, experiment) in _experiments)
        {
            await Experiment(tenant, experiment).Cancel(Callers.Member(tenant), "test over");
        }

        var snapshot = await Pool.GetSnapshot();
        foreach (var lease in snapshot.Leases.Where(l => _workers.Contains(l.WorkerId)))
        {
            await Pool.ReleaseLease(lease.WorkerId, lease.LeaseId);
        }
    }

    public static ImmutableDictionary<string, int> DevicesByTenant(IEnumerable<LeaseGrant> grants) =>
        grants.GroupBy(g => g.TenantId).ToImmutableDictionary(g => g.Key, g => g.Sum(l => l.DeviceIds.Length));

    /// <summary>What <see cref="LeaseRuns"/> set up: the tenant, the worker and the leases it was granted.</summary>
    public sealed record Leased(string Tenant, string Worker, ImmutableArray<LeaseGrant> Grants);
}
