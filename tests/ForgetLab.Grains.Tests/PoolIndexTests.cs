using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Contracts.Tenants;

namespace ForgetLab.Grains.Tests;

/// <summary>
/// The pool grain decides through the <see cref="ForgetLab.Core.Scheduling.PoolIndex"/> it keeps beside its state. Every test cluster registers
/// <see cref="ForgetLab.Grains.Pool.PoolIndexCheck"/>, so every pool test's placements and plans are also made through the list overloads and compared,
/// and the kept index is compared with one built from state after every save; these tests drive seeded sequences of everything that
/// changes the index (leases granted, started, checkpointed, preempted, released and expired; runs queued and cancelled; workers joining
/// and registering again with other devices; tenants' shares changed; the grain deactivated) and check that decisions were compared.
/// </summary>
[Collection(PoolIndexCollection.Name)]
public sealed class PoolIndexTests(PoolIndexCluster cluster)
{
    [Fact]
    public async Task OnSeededSequencesThePoolDecidesThroughItsIndexAsTheListPathDoesAndReactivationRestoresTheIndex()
    {
        var check = cluster.IndexCheck;
        var reactivations = 0;
        for (var seed = 0; seed < 3; seed++)
        {
            await using var scenario = new PoolScenario(cluster, afterEarlierWorkersWentQuiet: true);
            reactivations += await Sequence(scenario, new Random(seed), seed);
        }

        var compared = check.Compared;
        // Both paths were exercised where they differ most: placements made, preemptions planned, several activations rebuilt.
        Assert.True(compared.Placed >= 20, $"only {compared.Placed} of {compared.Decisions} decisions placed a run");
        Assert.True(compared.Planned >= 3, $"only {compared.Planned} of {compared.Plans} plans preempted anyone");
        Assert.True(reactivations >= 3, $"only {reactivations} reactivations");
    }

    /// <summary>One seeded sequence of 80 steps; returns how many times it deactivated the pool and found the index restored.</summary>
    private async Task<int> Sequence(PoolScenario scenario, Random random, int seed)
    {
        var tenants = new List<string>();
        for (var t = 0; t < 3; t++) tenants.Add(await scenario.Tenant($"ix{seed}{t}", weight: 1 + t, maxDevices: 2 + 2 * t, deviceHours: t == 2 ? 0.2 : null, guaranteedDevices: t));
        var workers = new List<string>();
        for (var w = 0; w < 2; w++) workers.Add(await scenario.Worker($"ixw{seed}{w}", gpus: 1 + w));
        var experiments = new List<(string Tenant, string Name)>();
        var leases = new Dictionary<string, (LeaseGrant Grant, string Worker, bool Started)>(StringComparer.Ordinal);
        var reactivations = 0;
        string[] classes = ["low", "normal", "high"];
        for (var step = 0; step < 80; step++)
        {
            var worker = workers[random.Next(workers.Count)];
            switch (random.Next(12))
            {
                case 0 or 1:
                    var tenant = tenants[random.Next(tenants.Count)];
                    var name = $"ix-{seed}-{step}";
                    await scenario.Submit(tenant, name, runs: random.Next(1, 3), devicesPerRun: random.Next(4) == 0 ? 2 : 1, priorityClass: classes[random.Next(3)]);
                    experiments.Add((tenant, name));
                    break;
                case 2 or 3 or 4:
                    foreach (var grant in await scenario.Pool.RequestLeases(worker)) leases[grant.LeaseId] = (grant, worker, false);
                    break;
                case 5 when leases.Count > 0:
                    // A run starts or checkpoints: the lease's latest checkpoint moves.
                    var (started, on, isStarted) = leases.Values.ElementAt(random.Next(leases.Count));
                    if (!isStarted) await scenario.Run(started).Started(new RunStarted(started.LeaseId));
                    leases[started.LeaseId] = (started, on, true);
                    await scenario.Pool.CheckpointUploaded(on, started.LeaseId);
                    break;
                case 6 when leases.Count > 0:
                    var (done, from, _) = leases.Values.ElementAt(random.Next(leases.Count));
                    await scenario.Run(done).Started(new RunStarted(done.LeaseId));
                    await scenario.Run(done).Finished(new RunFinished(done.LeaseId, 50, false, "completed"));
                    await scenario.Pool.ReleaseLease(from, done.LeaseId);
                    leases.Remove(done.LeaseId);
                    break;
                case 7:
                    // A heartbeat renews; a victim asked to checkpoint does so and reports it.
                    var ack = await scenario.Pool.Heartbeat(worker, [.. leases.Values.Where(l => l.Worker == worker).Select(l => l.Grant.LeaseId)]);
                    foreach (var asked in ack.Checkpoint.Where(leases.ContainsKey))
                    {
                        var victim = leases[asked].Grant;
                        await scenario.Run(victim).Started(new RunStarted(victim.LeaseId));
                        await scenario.Run(victim).CheckpointSaved(new CheckpointSaved(victim.LeaseId, 3, "checkpoints/step-3/", PoolScenario.Sha) { ForPreemption = true });
                        await scenario.Pool.Preempted(worker, victim.LeaseId, 3);
                        leases.Remove(asked);
                    }

                    break;
                case 8:
                    var changed = tenants[random.Next(tenants.Count)];
                    var settings = new TenantSettings(changed, random.Next(1, 4), random.Next(1, 5), random.Next(3) == 0 ? 0.2 : null) { GuaranteedDevices = random.Next(0, 2) };
                    Assert.Equal(ReplyStatus.Ok, (await cluster.Client.GetGrain<ITenantGrain>(changed).Configure(Callers.Platform, settings)).Status);
                    break;
                case 9:
                    // A new worker joins, or one registers again with another number of devices (its leases' devices may be gone).
                    if (random.Next(2) == 0) workers.Add(await scenario.Worker($"ixw{seed}{step}", gpus: random.Next(1, 3)));
                    else await scenario.Pool.RegisterWorker(new WorkerRegistration(worker, [.. Enumerable.Range(0, random.Next(1, 4)).Select(i => new WorkerDevice($"cuda:{i}", "cuda", 80L << 30))]));
                    break;
                case 10:
                    cluster.Clock.Advance(TimeSpan.FromSeconds(random.Next(20, 200)));
                    await scenario.Pool.SweepExpiredLeases();
                    var live = (await scenario.Pool.GetSnapshot()).Leases.Select(l => l.LeaseId).ToHashSet(StringComparer.Ordinal);
                    foreach (var gone in leases.Keys.Where(id => !live.Contains(id)).ToList()) leases.Remove(gone);
                    break;
                case 11 when experiments.Count > 0 && random.Next(2) == 0:
                    var (owner, experiment) = experiments[random.Next(experiments.Count)];
                    await scenario.Experiment(owner, experiment).Cancel(Callers.Member(owner), "changed my mind");
                    break;
                case 11:
                    // The pool is deactivated (a silo restart, idle collection) and comes back: it rebuilds its index from state, which
                    // holds what the grain kept in memory only (the lease request's last-seen time, renewals) as it wrote it on the way out.
                    foreach (var grant in await scenario.Pool.RequestLeases(worker)) leases[grant.LeaseId] = (grant, worker, false);
                    var (activations, deactivations) = (cluster.IndexCheck.Activations, cluster.IndexCheck.Deactivations);
                    await cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);
                    await scenario.Pool.GetSnapshot();
                    Assert.Equal((activations + 1, deactivations + 1), (cluster.IndexCheck.Activations, cluster.IndexCheck.Deactivations));
                    Assert.Equal(cluster.IndexCheck.DeactivatedWith, cluster.IndexCheck.ActivatedWith);
                    reactivations++;
                    break;
            }
        }

        return reactivations;
    }
}
