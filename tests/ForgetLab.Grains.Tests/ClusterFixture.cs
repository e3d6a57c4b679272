using ForgetLab.Grains.Experiments;
using ForgetLab.Grains.Hosting;
using ForgetLab.Grains.Pool;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace ForgetLab.Grains.Tests;

/// <summary>
/// One in-process test cluster per collection: memory grain storage, in-memory reminders, and a
/// fake platform clock that tests move by hand, so leases expire without anyone sleeping.
/// </summary>
public abstract class ClusterFixture : IAsyncLifetime
{
    /// <summary>Lease lifetime in these tests.</summary>
    public static readonly TimeSpan LeaseTtl = TimeSpan.FromMinutes(2);

    // Silos build their services from a configurator type, so the clock they share is reached statically;
    // each collection's fixture type has its own.
    private static readonly Dictionary<Type, FakeTimeProvider> Clocks = [];

    // Likewise what a fixture adds to its silo's services.
    private static readonly Dictionary<Type, Action<IServiceCollection>> Services = [];

    private TestCluster? _cluster;

    protected ClusterFixture()
    {
        lock (Clocks) Clocks[GetType()] = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    }

    /// <summary>What this collection's silo adds to the services every fixture's silo has.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public FakeTimeProvider Clock => ClockFor(GetType());

    public IClusterClient Client => _cluster?.Client ?? throw new InvalidOperationException("The cluster is not deployed.");

    /// <summary>The silo's check of the pool grain's index: every pool decision in these tests is also made through the list path.</summary>
    internal PoolIndexCheck IndexCheck =>
        ((_cluster ?? throw new InvalidOperationException("The cluster is not deployed.")).Primary as InProcessSiloHandle
            ?? throw new InvalidOperationException("The cluster's silo is not in process.")).SiloHost.Services.GetRequiredService<PoolIndexCheck>();

    public async ValueTask InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        lock (Clocks) Services[GetType()] = ConfigureServices;
        builder.Properties["ForgetLabFixture"] = GetType().AssemblyQualifiedName!;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private static FakeTimeProvider ClockFor(Type fixture)
    {
        lock (Clocks) return Clocks[fixture];
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var fixture = Type.GetType(silo.Configuration["ForgetLabFixture"]!)!;
            silo.AddMemoryGrainStorage(GrainStorage.Name);
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<ICheckpointItemReader>(CheckpointItemsInMemory.Shared);
            silo.Services.AddForgetLabGrains(ClockFor(fixture));
            silo.Services.Configure<GpuPoolOptions>(o => o.LeaseTtl = LeaseTtl);
            silo.Services.AddSingleton<PoolIndexCheck>();
            lock (Clocks) Services[fixture](silo.Services);
        }
    }
}

/// <summary>Cluster for tenants, experiments and the run state machine.</summary>
public sealed class GrainsCluster : ClusterFixture;

/// <summary>Cluster for the pool: its queue is shared by every test that uses it, so those tests clean up after themselves.</summary>
public sealed class PoolCluster : ClusterFixture;

[CollectionDefinition(Name)]
public sealed class GrainsCollection : ICollectionFixture<GrainsCluster>
{
    public const string Name = "grains";
}

[CollectionDefinition(Name)]
public sealed class PoolCollection : ICollectionFixture<PoolCluster>
{
    public const string Name = "pool";
}

/// <summary>Cluster for preemption: its own pool, so no other test's runs or workers take part in a preemption plan.</summary>
public sealed class PreemptionCluster : ClusterFixture;

[CollectionDefinition(Name)]
public sealed class PreemptionCollection : ICollectionFixture<PreemptionCluster>
{
    public const string Name = "preemption";
}

/// <summary>Cluster for the pool index's seeded sequences: its own pool, whose index holds only their tenants, runs and workers.</summary>
public sealed class PoolIndexCluster : ClusterFixture;

[CollectionDefinition(Name)]
public sealed class PoolIndexCollection : ICollectionFixture<PoolIndexCluster>
{
    public const string Name = "pool-index";
}

/// <summary>
/// Cluster whose experiments schedule a large grid's first batch only: the timer's next batch is an hour away, so what a
/// submit or a cancel leaves between batches is seen as it is, and a repeated submit is what schedules the next batch.
/// </summary>
public sealed class HeldSchedulingCluster : ClusterFixture
{
    protected override void ConfigureServices(IServiceCollection services) =>
        services.Configure<ExperimentOptions>(o => o.RunBatchInterval = TimeSpan.FromHours(1));
}

[CollectionDefinition(Name)]
public sealed class HeldSchedulingCollection : ICollectionFixture<HeldSchedulingCluster>
{
    public const string Name = "held-scheduling";
}
