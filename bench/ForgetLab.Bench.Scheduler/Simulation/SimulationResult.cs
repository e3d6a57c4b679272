using ForgetLab.Core.Scheduling;

namespace ForgetLab.Bench.Scheduler.Simulation;

/// <summary>What one simulated policy did with one trace.</summary>
internal sealed record SimulationResult(
    SimulationSetup Setup,
    PolicyVariant Variant,
    IReadOnlyList<SimRun> Runs,
    double BusyDeviceHours,
    double ResumeLostDeviceHours,
    double CheckpointLostDeviceHours,
    double OutOfMemoryLostDeviceHours,
    int OutOfMemoryFailures,
    int Preemptions,
    double DeviceHoursAtRisk,
    int Decisions,
    double PolicySeconds,
    double Jain)
{
    public double Capacity => Setup.DeviceCount * Setup.HorizonHours;

    /// <summary>Device-hours spent training forward: busy time less resume and out-of-memory waste.</summary>
    public double UsefulDeviceHours => BusyDeviceHours - ResumeLostDeviceHours - OutOfMemoryLostDeviceHours;

    /// <summary>Devices held, for training or for checkpointing before a preemption.</summary>
    public double Busy => (BusyDeviceHours + CheckpointLostDeviceHours) / Capacity;

    public double Useful => UsefulDeviceHours / Capacity;

    /// <summary>Hours from arrival to first start; a run never started counts its wait up to the horizon (a lower bound).</summary>
    public double Wait(SimRun run) => (run.FirstStart ?? Setup.HorizonHours) - run.Trace.Arrival;

    public int NotStarted => Runs.Count(r => r.FirstStart is null);

    public int Completed => Runs.Count(r => r.Finished is not null);

    public double PreemptionsPerRun => Runs.Count == 0 ? 0 : (double)Preemptions / Runs.Count;

    public int RunsPreempted => Runs.Count(r => r.PreemptedAt.Count > 0);

    public int MostPreemptions => Runs.Count == 0 ? 0 : Runs.Max(r => r.PreemptedAt.Count);

    /// <summary>Work lost to preemption: the victims' final checkpoints and their resumes.</summary>
    public double PreemptionLostDeviceHours => ResumeLostDeviceHours + CheckpointLostDeviceHours;

    public double DecisionsPerSecond => Decisions / PolicySeconds;

    public (double P50, double P95, double P99, int N) Waits(Func<SimRun, bool> which)
    {
        var waits = Runs.Where(which).Select(Wait).Order().ToArray();
        return waits.Length == 0 ? (double.NaN, double.NaN, double.NaN, 0) : (Quantile(waits, 0.50), Quantile(waits, 0.95), Quantile(waits, 0.99), waits.Length);
    }

    public (double P50, double P95, double P99, int N) WaitsByClass(PriorityClass c) => Waits(r => r.Trace.Class == c);

    public (double P50, double P95, double P99, int N) WaitsBySize(int devices) => Waits(r => r.Trace.Devices == devices);

    /// <summary>Linear interpolation between order statistics (type 7, numpy's default).</summary>
    private static double Quantile(double[] sorted, double q)
    {
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
