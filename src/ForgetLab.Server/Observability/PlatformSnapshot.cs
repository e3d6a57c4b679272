namespace ForgetLab.Server.Observability;

/// <summary>
/// The platform at one moment, as <see cref="PlatformSampler"/> reads it from the grains: what the
/// observable gauges of <see cref="PlatformMetrics"/> report until the next sample.
/// </summary>
public sealed record PlatformSnapshot(
    DateTimeOffset TakenAt,
    IReadOnlyList<TenantSample> Tenants,
    IReadOnlyList<WorkerSample> Workers,
    IReadOnlyList<RunStateCount> Runs,
    IReadOnlyList<WorstDelta> WorstDeltas)
{
    public static readonly PlatformSnapshot Empty = new(DateTimeOffset.MinValue, [], [], [], []);

    /// <summary>Reward and KL of each recent experiment's ended reward fine-tuning runs (none for supervised ones).</summary>
    public IReadOnlyList<RlSample> Rl { get; init; } = [];
}

/// <summary>A tenant's queue, devices held, device quota, device-hours used and its budget (null: no limit).</summary>
public sealed record TenantSample(string TenantId, int RunsQueued, int DevicesHeld, int MaxConcurrentDevices, double DeviceHoursUsed, double? DeviceHoursBudget = null);

/// <summary>A worker's devices, busy (under a lease) and free.</summary>
public sealed record WorkerSample(string WorkerId, int Busy, int Free);

/// <summary>How many of a tenant's recent runs are in a state.</summary>
public sealed record RunStateCount(string TenantId, string State, int Runs);

/// <summary>The worst change (points, accuracy-type suites) of a category over an experiment's ended runs.</summary>
public sealed record WorstDelta(string TenantId, string ExperimentId, string Category, double DeltaPoints);

/// <summary>
/// An experiment's reward fine-tuning at its ended runs' last checkpoints: the highest mean reward on train and on
/// held-out prompts, and the largest KL to the base on the target prompts and on general text (null where no run
/// measured it, e.g. DPO has no reward). Highest reward beside largest KL is what reward hacking looks like.
/// </summary>
public sealed record RlSample(string TenantId, string ExperimentId, double? TrainReward, double? HeldOutReward, double KlTargetPrompts, double KlGeneralText);
