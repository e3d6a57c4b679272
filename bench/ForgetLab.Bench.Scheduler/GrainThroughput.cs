using System.Collections.Immutable;
using System.Diagnostics;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ForgetLab.Bench.Scheduler;

/// <summary>
/// Single-device decisions through the pool grain itself, at the scale of <see cref="NewPolicyThroughput"/>: one in-process silo
/// (localhost clustering, Orleans' memory grain storage, which serializes every write as a storage provider does, and in-memory
/// reminders), 100 tenants with the same weights and guarantees, 10,000 real run grains queued with the same classes and memory,
/// and 1,000 workers × 4 cuda devices (40 / 80 GiB) that fill the pool in one request each. One decision is what a worker does when a
/// run's lease ends: <c>ReleaseLease</c> (the run goes back to the queue) then <c>RequestLeases</c> (the pool places the freed device,
/// choosing gang reservations and planning preemptions, and hands the lease to its run grain). Both calls are timed, with their
/// run-grain calls and their writes; no network (the client is the silo's own).
/// </summary>
internal static class GrainThroughput
{
    private const long GiB = 1L << 30;
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<double> Report(int seed, double seconds, TextWriter output)
    {
        var random = new Random(seed);
        using var host = new HostBuilder()
            .UseOrleans(silo => silo
                .UseLocalhostClustering()
                .AddMemoryGrainStorage(GrainStorage.Name)
                .UseInMemoryReminderService())
            // No worker heartbeats here, and the set-up alone takes minutes at this scale: a lease TTL of a day keeps the
            // leases the bench releases from expiring under it (with the default 2 min they did, and the release failed).
            .ConfigureServices(services => services.AddForgetLabGrains().Configure<GpuPoolOptions>(o => o.LeaseTtl = TimeSpan.FromDays(1)))
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var pool = grains.GetGrain<IGpuPoolGrain>(GrainKeys.Pool);
        var setup = Stopwatch.StartNew();

        double[] weights = [1, 2, 4];
        var drawn = Enumerable.Range(0, SchedulerSimulation.Tenants).Select(_ => weights[random.Next(weights.Length)]).ToList();
        var devices = SchedulerSimulation.Workers * SchedulerSimulation.DevicesPerWorker;
        var tenants = drawn.Select((_, t) => $"t{t:D3}").ToList();
        for (var t = 0; t < tenants.Count; t++)
            await pool.SetTenantShare(tenants[t], drawn[t], int.MaxValue, null, (int)Math.Floor(0.8 * devices * drawn[t] / drawn.Sum()));

        // The runs, created and queued as the experiment grain does, a tenant's batch at a time.
        string[] classes = ["high", "normal", "low"];
        for (var t = 0; t < tenants.Count; t++)
        {
            var entries = ImmutableArray.CreateBuilder<QueueEntry>();
            for (var i = t; i < SchedulerSimulation.QueuedRuns; i += tenants.Count)
            {
                var u = random.NextDouble();
                var priorityClass = u < 0.15 ? classes[0] : u < 0.75 ? classes[1] : classes[2];
                var memory = (random.NextDouble() < 0.3 ? 60 : 20) * GiB;
                var name = $"r{i:D7}";
                var run = grains.GetGrain<IRunGrain>(GrainKeys.Run(tenants[t], "bench", name));
                var created = await run.Create(new RunSetup(tenants[t], "bench", new RunRecipeInfo(name, "full", 1e-4, 100, 0), "", random.Next(3),
                    "cuda", 1, priorityClass, memory));
                if (created.Status != ReplyStatus.Ok) throw new InvalidOperationException($"run {name}: {created.Error}");
                var queued = await run.Enqueue("bench");
                entries.Add(queued.Entry ?? throw new InvalidOperationException($"run {name}: {queued.Error}"));
            }

            await pool.Enqueue(entries.ToImmutable());
        }

        var workers = Enumerable.Range(0, SchedulerSimulation.Workers).Select(w => $"w{w:D4}").ToList();
        for (var w = 0; w < workers.Count; w++)
        {
            await pool.RegisterWorker(new WorkerRegistration(workers[w],
                [.. Enumerable.Range(0, SchedulerSimulation.DevicesPerWorker).Select(d => new WorkerDevice($"cuda:{d}", "cuda", (w % 2 == 0 ? 40 : 80) * GiB))]));
        }

        var fullRound = Stopwatch.StartNew();
        var leases = new List<LeaseGrant>();
        foreach (var worker in workers) leases.AddRange(await pool.RequestLeases(worker));
        fullRound.Stop();
        var snapshot = await pool.GetSnapshot();
        output.WriteLine("## 1-device runs, through the pool grain (one in-process silo, memory grain storage)");
        output.WriteLine();
        output.WriteLine("| measure | value |");
        output.WriteLine("|---|---:|");
        output.WriteLine($"| set-up (tenants, 10,000 run grains created and queued, workers registered) | {setup.Elapsed.TotalSeconds - fullRound.Elapsed.TotalSeconds:F1} s |");
        output.WriteLine($"| full round: 1,000 lease requests placing {leases.Count:N0} runs | {fullRound.Elapsed.TotalSeconds:F1} s ({1e3 * fullRound.Elapsed.TotalSeconds / workers.Count:F2} ms a request) |");
        output.WriteLine($"| leases / queued after the full round | {snapshot.Leases.Length:N0} / {snapshot.RunsQueued:N0} |");

        // Warm-up, then timed: a random lease ends and its worker asks again.
        var decisions = 0;
        var placed = 0;
        var release = TimeSpan.Zero;
        var request = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        var warm = true;
        while (true)
        {
            if (warm && decisions == 200)
            {
                (warm, decisions, placed, release, request) = (false, 0, 0, TimeSpan.Zero, TimeSpan.Zero);
                clock.Restart();
            }

            if (!warm && clock.Elapsed.TotalSeconds >= seconds) break;
            var at = random.Next(leases.Count);
            var lease = leases[at];
            var worker = lease.LeaseId[..lease.LeaseId.LastIndexOf('/')];
            var t0 = clock.Elapsed;
            if (!await pool.ReleaseLease(worker, lease.LeaseId)) throw new InvalidOperationException($"lease {lease.LeaseId} was not released");
            var t1 = clock.Elapsed;
            var granted = await pool.RequestLeases(worker);
            var t2 = clock.Elapsed;
            (release, request) = (release + (t1 - t0), request + (t2 - t1));
            leases.RemoveAt(at);
            leases.AddRange(granted);
            placed += granted.Length;
            decisions++;
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        var rate = decisions / elapsed;
        output.WriteLine($"| decisions timed (release + request), in | {decisions:N0} in {elapsed:F1} s ({placed:N0} runs placed) |");
        output.WriteLine($"| ReleaseLease: time per call | {1e3 * release.TotalSeconds / decisions:F2} ms |");
        output.WriteLine($"| RequestLeases: time per call | {1e3 * request.TotalSeconds / decisions:F2} ms |");
        output.WriteLine($"| single-device decisions through the grain: decisions/s | {rate:N0} |");
        output.WriteLine();
        await host.StopAsync();
        return rate;
    }
}
