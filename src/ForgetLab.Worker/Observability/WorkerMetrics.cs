using System.Diagnostics.Metrics;

namespace ForgetLab.Worker.Observability;

/// <summary>
/// The worker's instruments (meter <c>ForgetLab.Worker</c>): its devices busy and free, leases started
/// and lost, jobs ended by outcome, and what its jobs report as JSON-line events — step durations,
/// tokens trained, items evaluated and the time spent on each, checkpoint bytes written and read —
/// plus failed storage operations. Labels: device kind, outcome, direction, operation: bounded sets,
/// never a run, a step or an item (the worker itself is Prometheus's <c>instance</c>).
/// </summary>
public static class WorkerMetrics
{
    public const string MeterName = "ForgetLab.Worker";

    private static readonly Meter Meter = new(MeterName);

    private static (int Busy, int Free) _devices;

    private static readonly Counter<long> LeasesStarted = Meter.CreateCounter<long>("forgetlab.worker.leases.started", "{lease}", "Leases this worker was granted and started a job for.");
    private static readonly Counter<long> LeasesLost = Meter.CreateCounter<long>("forgetlab.worker.leases.lost", "{lease}", "Leases the pool told this worker it no longer holds (expired or moved) while its job ran.");
    private static readonly Counter<long> JobsEnded = Meter.CreateCounter<long>("forgetlab.worker.jobs.ended", "{job}", "Jobs that ended, by outcome (completed, stopped_early, diverged, failed, stopped).");
    private static readonly Histogram<double> StepDuration = Meter.CreateHistogram(
        "forgetlab.train.step.duration", "s", "Wall time of one training step (batch, forward, backward, optimizer), by device kind.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    private static readonly Counter<long> TrainTokens = Meter.CreateCounter<long>("forgetlab.train.tokens", "{token}", "Tokens trained on, by device kind.");
    private static readonly Counter<double> TrainSeconds = Meter.CreateCounter<double>("forgetlab.train.time", "s", "Seconds spent in training steps, by device kind: tokens/s while training = rate(tokens) / rate(time).");
    private static readonly Counter<long> EvalItems = Meter.CreateCounter<long>("forgetlab.eval.items", "{item}", "Suite items evaluated at checkpoints, by device kind.");
    private static readonly Counter<double> EvalSeconds = Meter.CreateCounter<double>("forgetlab.eval.time", "s", "Seconds spent evaluating checkpoints, by device kind: items/s while evaluating = rate(items) / rate(time).");
    private static readonly Counter<long> CheckpointBytes = Meter.CreateCounter<long>("forgetlab.checkpoint.bytes", "By", "Checkpoint bytes written to and read from Blob storage, by direction.");
    private static readonly Counter<long> StorageErrors = Meter.CreateCounter<long>("forgetlab.storage.errors", "{error}", "Failed storage operations, by component (worker) and operation.");

    static WorkerMetrics()
    {
        Meter.CreateObservableGauge("forgetlab.worker.devices", () => new[]
        {
            new Measurement<int>(_devices.Busy, Tag("state", "busy")),
            new Measurement<int>(_devices.Free, Tag("state", "free")),
        }, "{device}", "This worker's devices, busy (running a job) or free.");
    }

    /// <summary>Zero series for every counter a dashboard or an alert reads, before the first job.</summary>
    public static void Start(IEnumerable<string> deviceKinds, int devices)
    {
        SetDevices(0, devices);
        LeasesStarted.Add(0);
        LeasesLost.Add(0);
        foreach (var outcome in new[] { "completed", "stopped_early", "diverged", "failed", "stopped" }) JobsEnded.Add(0, Tag("outcome", outcome));
        foreach (var kind in deviceKinds.Distinct())
        {
            TrainTokens.Add(0, Tag("device_kind", kind));
            TrainSeconds.Add(0, Tag("device_kind", kind));
            EvalItems.Add(0, Tag("device_kind", kind));
            EvalSeconds.Add(0, Tag("device_kind", kind));
        }
        foreach (var direction in new[] { "written", "read" }) CheckpointBytes.Add(0, Tag("direction", direction));
        foreach (var operation in new[] { "upload", "download" }) StorageErrors.Add(0, Tag("component", "worker"), Tag("operation", operation));
    }

    public static void SetDevices(int busy, int free) => _devices = (busy, free);

    public static void LeaseStarted() => LeasesStarted.Add(1);

    public static void LeaseLost() => LeasesLost.Add(1);

    public static void JobEnded(string outcome) => JobsEnded.Add(1, Tag("outcome", outcome));

    public static void Step(string deviceKind, long tokens, double seconds)
    {
        StepDuration.Record(seconds, Tag("device_kind", deviceKind));
        TrainTokens.Add(tokens, Tag("device_kind", deviceKind));
        TrainSeconds.Add(seconds, Tag("device_kind", deviceKind));
    }

    public static void Evaluated(string deviceKind, long items, double seconds)
    {
        EvalItems.Add(items, Tag("device_kind", deviceKind));
        EvalSeconds.Add(seconds, Tag("device_kind", deviceKind));
    }

    public static void CheckpointWritten(long bytes) => CheckpointBytes.Add(bytes, Tag("direction", "written"));

    public static void CheckpointRead(long bytes) => CheckpointBytes.Add(bytes, Tag("direction", "read"));

    public static void StorageFailed(string operation) => StorageErrors.Add(1, Tag("component", "worker"), Tag("operation", operation));

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
