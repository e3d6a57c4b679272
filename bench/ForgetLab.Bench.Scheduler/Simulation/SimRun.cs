using ForgetLab.Core.Scheduling;

namespace ForgetLab.Bench.Scheduler.Simulation;

/// <summary>A run's state in the simulator.</summary>
internal sealed class SimRun(TraceRun trace)
{
    public TraceRun Trace { get; } = trace;

    public string Id { get; } = $"r{trace.Index:D6}";

    /// <summary>Training hours still to do (plus the resume overhead after a preemption).</summary>
    public double Remaining { get; set; } = trace.Hours;

    public double? FirstStart { get; set; }

    public double? Finished { get; set; }

    /// <summary>When it was last put on the queue (arrival, preemption, out-of-memory resubmit).</summary>
    public double QueuedAt { get; set; } = trace.Arrival;

    /// <summary>Bumped whenever the run starts or stops, so events scheduled for an earlier segment are ignored.</summary>
    public int Segment { get; set; }

    public Placement? Placement { get; set; }

    public double SegmentStart { get; set; }

    public bool Draining { get; set; }

    public List<double> PreemptedAt { get; } = [];

    public int OutOfMemory { get; set; }

    public bool Running => Placement is not null;
}
