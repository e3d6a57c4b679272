using System.Collections.Concurrent;
using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Models;
using ForgetLab.Worker.Observability;
using ForgetLab.Worker.Outages;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ForgetLab.Worker;

/// <summary>
/// The worker's loop: register its devices with the pool, heartbeat on a timer (renewing its leases and
/// stopping the jobs of leases it lost), and ask for leases while it has free devices, running each
/// as a <see cref="LeaseRunner"/>. A finished job releases its lease; on shutdown the jobs are killed and
/// their leases left to expire, so their runs resume elsewhere from their latest checkpoints. While the
/// server is unreachable the loop waits with <see cref="ReconnectBackoff"/> between tries and the jobs train on;
/// a lease is given up only when the pool, once it answers, says the lease is gone. With <see cref="WorkerOptions.MaxLeases"/>
/// it asks for no more leases once it has taken that many, and stops the process when their jobs have ended.
/// </summary>
public sealed class WorkerService(
    IClusterClient cluster, CheckpointStore store, IOptions<WorkerOptions> configured, ILoggerFactory loggers, TimeProvider time,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<WorkerService>();
    private readonly ReconnectBackoff _backoff = ReconnectBackoff.From(configured.Value, time);
    private readonly ConcurrentDictionary<string, (LeaseRunner Runner, Task Task)> _running = new();
    private WorkerOptions Options => configured.Value;

    public string WorkerId { get; } = configured.Value.Id is { Length: > 0 } id ? id : $"{Environment.MachineName}-{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var ram = HostMemory.Read();
        if (Options.DeviceMemoryGb is { } gb && !(gb > 0 && double.IsFinite(gb)))
            throw new ArgumentException($"--memory-gb (ForgetLab:Worker:DeviceMemoryGb): must be a number of GiB > 0, got {gb}");
        var cap = Options.DeviceMemoryGb is { } limit ? (long)(limit * (1L << 30)) : (long?)null;
        var allowance = LeaseAllowance.From(Options.MaxLeases);
        var devices = DeviceSlots.Parse(Options.Devices, ram.TotalBytes, CudaMemory.TotalBytes, cap);
        var cli = CliLocator.Find(Options.CliPath);
        var work = Options.WorkDirectory is { Length: > 0 } w ? w : Path.Combine(Path.GetTempPath(), "forgetlab-worker", WorkerId);
        Directory.CreateDirectory(work);
        var pool = cluster.GetGrain<IGpuPoolGrain>(GrainKeys.Pool);
        // Torch threads per CPU slot: the cores shared out among the slots unless set.
        var threadsPerSlot = Options.ThreadsPerJob ?? Math.Max(1, Environment.ProcessorCount / Math.Max(1, devices.Count(d => d.Kind == "cpu")));
        var registration = new WorkerRegistration(WorkerId, devices);
        var backoff = _backoff;
        var failures = 0;
        WorkerMetrics.Start(devices.Select(d => d.Kind), devices.Length);

        await Retry(() => store.EnsureContainer(stop), "create the checkpoint container", stop);
        await Retry(() => pool.RegisterWorker(registration), "register", stop);
        _logger.LogInformation("Worker {Worker} registered with {Devices} (RAM {Ram} total, {Available} available); jobs run {Cli} in {Work}", WorkerId,
            string.Join(", ", devices.Select(d => $"{d.DeviceId} {(d.MemoryBytes is { } m ? RunMemoryEstimate.Size(m) : "memory unknown")}")),
            RunMemoryEstimate.Size(ram.TotalBytes), ram.AvailableBytes is { } a ? RunMemoryEstimate.Size(a) : "?", cli, work);
        await Retry(() => GiveBackLeasesNotRunHere(pool), "give back the leases of an earlier process with this id", stop);
        Console.WriteLine($"WORKER_READY {WorkerId}");

        var lastBeat = DateTimeOffset.UtcNow;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                foreach (var (leaseId, entry) in _running)
                    if (entry.Task.IsCompleted) await Finish(pool, leaseId, entry.Runner);
                PublishDevices(devices);
                if (allowance.Spent && _running.IsEmpty)
                {
                    _logger.LogInformation("Worker {Worker}: took the {Leases} leases --max-leases allows and their jobs have ended; stopping",
                        WorkerId, allowance.Taken);
                    lifetime.StopApplication();
                    break;
                }

                if ((DateTimeOffset.UtcNow - lastBeat).TotalSeconds >= Options.HeartbeatSeconds)
                {
                    var ack = await pool.Heartbeat(WorkerId, [.. _running.Keys]);
                    lastBeat = DateTimeOffset.UtcNow;
                    if (!ack.Registered) await pool.RegisterWorker(registration);
                    foreach (var lost in ack.Lost)
                        if (_running.TryGetValue(lost, out var entry))
                        {
                            WorkerMetrics.LeaseLost();
                            entry.Runner.LeaseLost(LeaseStop.LeaseLost, "the pool no longer holds the lease");
                            await ReturnLostRun(pool, entry.Runner.Grant);
                        }
                    if (ack.Renewed.Any(id => !_running.ContainsKey(id))) await GiveBackLeasesNotRunHere(pool);
                    foreach (var preempted in ack.Checkpoint.IsDefault ? [] : ack.Checkpoint)
                        if (_running.TryGetValue(preempted, out var entry)) entry.Runner.CheckpointNow();
                }

                var busy = _running.Values.SelectMany(r => r.Runner.Grant.DeviceIds).ToHashSet();
                if (allowance.MayAsk && devices.Any(d => !busy.Contains(d.DeviceId)))
                {
                    var grants = await pool.RequestLeases(WorkerId);
                    var kept = allowance.Keep(grants.Length);
                    foreach (var extra in grants[kept..]) await GiveBack(pool, extra);
                    foreach (var grant in grants[..kept])
                    {
                        _logger.LogInformation("Lease {Lease}: run {Run} on {Devices} (resume from {Resume})", grant.LeaseId, grant.RunKey,
                            string.Join(",", grant.DeviceIds), grant.Work.ResumeFrom is { } r ? $"step {r.Step}" : "scratch");
                        var runner = new LeaseRunner(grant, cluster, store, Options, cli, work, threadsPerSlot, backoff, loggers.CreateLogger<LeaseRunner>(), WorkerId);
                        _running[grant.LeaseId] = (runner, Task.Run(() => runner.RunAsync(stop), CancellationToken.None));
                        WorkerMetrics.LeaseStarted();
                    }
                    PublishDevices(devices);
                }
                if (failures > 0)
                    _logger.LogInformation("Worker {Worker}: the pool answers again after {Failures} failed calls", WorkerId, failures);
                failures = 0;
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                // The first failure with its stack, later ones in a line: a long outage must not flood the log.
                if (++failures == 1) _logger.LogWarning(e, "Worker {Worker}: a call to the pool failed; its jobs train on, retrying with backoff", WorkerId);
                else _logger.LogWarning("Worker {Worker}: a call to the pool failed ({Failures} in a row): {Error}", WorkerId, failures, e.Message);
            }

            try
            {
                var poll = TimeSpan.FromSeconds(Math.Min(Options.PollSeconds, Options.HeartbeatSeconds));
                await Task.Delay(failures == 0 ? poll : backoff.DelayAfter(failures), time, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        foreach (var (_, entry) in _running) entry.Runner.LeaseLost(LeaseStop.WorkerShutdown, "the worker is shutting down");
        await Task.WhenAll(_running.Values.Select(r => r.Task)).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>
    /// Leases the pool holds for this worker id that no job here runs (the worker restarted under the same
    /// id; heartbeats would renew them forever): released, and their runs sent back to the queue to resume
    /// from their latest checkpoints.
    /// </summary>
    private async Task GiveBackLeasesNotRunHere(IGpuPoolGrain pool)
    {
        var snapshot = await pool.GetSnapshot();
        foreach (var lease in snapshot.Leases.Where(l => l.WorkerId == WorkerId && !_running.ContainsKey(l.LeaseId)))
        {
            // The run first, then the pool (which queues a run that is queued or still held under the lease): a
            // failure between the two leaves the lease in the pool's snapshot, so the next try repeats both.
            var requeued = await cluster.GetGrain<IRunGrain>(lease.RunKey)
                .ReturnToQueue(lease.LeaseId, $"worker '{WorkerId}' restarted and no longer runs lease '{lease.LeaseId}'");
            await pool.ReleaseLease(WorkerId, lease.LeaseId);
            _logger.LogWarning("Worker {Worker}: gave back lease {Lease} of {Run}, held by an earlier process with this id ({Outcome})",
                WorkerId, lease.LeaseId, lease.RunKey, requeued.Entry is null ? requeued.Error : "re-queued");
        }
    }

    /// <summary>
    /// A grant beyond what <see cref="WorkerOptions.MaxLeases"/> leaves, released before any job starts: the pool sends its run back to
    /// the queue for another worker.
    /// </summary>
    private async Task GiveBack(IGpuPoolGrain pool, LeaseGrant grant)
    {
        await pool.ReleaseLease(WorkerId, grant.LeaseId);
        _logger.LogInformation("Lease {Lease}: run {Run} given back: --max-leases allows no more leases on this worker", grant.LeaseId, grant.RunKey);
    }

    /// <summary>
    /// The pool says this worker no longer holds the lease, but the run may still think it does (a pool state the
    /// storage lost, say): the run is asked to go back to the queue. It refuses, harmlessly, when the lease has
    /// already moved on.
    /// </summary>
    private async Task ReturnLostRun(IGpuPoolGrain pool, LeaseGrant grant)
    {
        var requeued = await cluster.GetGrain<IRunGrain>(grant.RunKey)
            .ReturnToQueue(grant.LeaseId, $"the pool no longer holds lease '{grant.LeaseId}' of worker '{WorkerId}'");
        if (requeued.Entry is { } entry) await pool.Enqueue([entry]);
    }

    private void PublishDevices(ImmutableArray<WorkerDevice> devices)
    {
        var busy = _running.Values.SelectMany(r => r.Runner.Grant.DeviceIds).ToHashSet(StringComparer.Ordinal);
        var held = devices.Count(d => busy.Contains(d.DeviceId));
        WorkerMetrics.SetDevices(held, devices.Length - held);
    }

    private async Task Finish(IGpuPoolGrain pool, string leaseId, LeaseRunner runner)
    {
        // A job that ended on its own, or whose run was cancelled, frees its devices now; a lost or preempted lease is gone already (the pool
        // ended it), and a lease left at shutdown or refused by its run expires, so that the pool, not this worker, decides who resumes the run.
        if (runner.Stop is null or LeaseStop.RunCancelled)
            await pool.ReleaseLease(WorkerId, leaseId);
        _running.TryRemove(leaseId, out _);
        _logger.LogInformation("Lease {Lease}: run {Run} ended{Why}", leaseId, runner.Grant.RunKey, runner.StoppedBecause is { } why ? $" ({why})" : "");
    }

    private async Task Retry(Func<Task> action, string what, CancellationToken stop)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action();
                return;
            }
            catch (Exception e) when (!stop.IsCancellationRequested && e is not OperationCanceledException)
            {
                _logger.LogWarning("Worker {Worker}: could not {What} (attempt {Attempt}): {Error}", WorkerId, what, attempt, e.Message);
                await Task.Delay(_backoff.DelayAfter(attempt), time, stop);
            }
        }
    }
}

/// <summary>Finds the forgetlab CLI (forgetlab.dll) a job runs.</summary>
public static class CliLocator
{
    public static string Find(string? configured)
    {
        if (configured is { Length: > 0 })
            return File.Exists(configured) ? Path.GetFullPath(configured) : throw new FileNotFoundException($"--cli {configured}: no such file");
        if (Environment.GetEnvironmentVariable("FORGETLAB_CLI") is { Length: > 0 } env && File.Exists(env)) return Path.GetFullPath(env);
        var beside = Path.Combine(AppContext.BaseDirectory, "forgetlab.dll");
        if (File.Exists(beside)) return beside;

        // In the repository: src/ForgetLab.Worker/bin/<Configuration>/net10.0/ → src/ForgetLab.Cli/bin/<Configuration>/net10.0/forgetlab.dll.
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent?.Name ?? "Release";
        for (var dir = tfm; dir is not null; dir = dir.Parent)
        {
            foreach (var config in new[] { configuration, "Release", "Debug" })
            {
                var candidate = Path.Combine(dir.FullName, "src", "ForgetLab.Cli", "bin", config, tfm.Name, "forgetlab.dll");
                if (File.Exists(candidate)) return candidate;
            }
        }
        throw new FileNotFoundException("forgetlab.dll not found: build src/ForgetLab.Cli or pass --cli PATH (or set FORGETLAB_CLI)");
    }
}
