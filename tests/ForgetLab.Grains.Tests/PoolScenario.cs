using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Tenants;
using ForgetLab.Grains.Common;

namespace ForgetLab.Grains.Tests;

/// <summary>
/// Tenants, experiments and workers of one pool test. The pool is one grain shared by the whole
/// collection, so disposing the scenario cancels its experiments (taking their runs off the
/// queue) and releases its workers' leases.
/// </summary>
internal sealed class PoolScenario(ClusterFixture cluster) : IAsyncDisposable
{
    private readonly List<(string Tenant, string Experiment)> _experiments = [];
    private readonly List<string> _workers = [];

    public IGpuPoolGrain Pool => cluster.Client.GetGrain<IGpuPoolGrain>(GrainKeys.Pool);

    public async Task<string> Tenant(string prefix, double weight, int maxDevices = int.MaxValue, double? deviceHours = null, int guaranteedDevices = 0)
    {
        var id = Callers.NewTenant(prefix);
        var reply = await cluster.Client.GetGrain<ITenantGrain>(id)
            .Configure(Callers.Platform, new TenantSettings(prefix, weight, maxDevices, deviceHours) { GuaranteedDevices = guaranteedDevices });
        Assert.Equal(ReplyStatus.Ok, reply.Status);
        return id;
    }

    public async Task<ExperimentView> Submit(
        string tenant, string name, int runs, int devicesPerRun = 1, string priorityClass = "normal", double? memoryGb = null, string model = Specs.SmallModel,
        string extra = "")
    {
        var spec = Specs.Valid(name, runs, model) + extra + (memoryGb is { } gb ? $"\nresources:\n  memory_gb: {gb.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n" : "");
        var reply = await cluster.Client.GetGrain<IExperimentGrain>(GrainKeys.Experiment(tenant, name))
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
            await cluster.Client.GetGrain<IExperimentGrain>(GrainKeys.Experiment(tenant, experiment)).Cancel(Callers.Member(tenant), "test over");
        }

        var snapshot = await Pool.GetSnapshot();
        foreach (var lease in snapshot.Leases.Where(l => _workers.Contains(l.WorkerId)))
        {
            await Pool.ReleaseLease(lease.WorkerId, lease.LeaseId);
        }
    }

    public static ImmutableDictionary<string, int> DevicesByTenant(IEnumerable<LeaseGrant> grants) =>
        grants.GroupBy(g => g.TenantId).ToImmutableDictionary(g => g.Key, g => g.Sum(l => l.DeviceIds.Length));
}
