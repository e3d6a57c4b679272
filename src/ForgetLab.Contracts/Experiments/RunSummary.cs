using ForgetLab.Contracts.Runs;

namespace ForgetLab.Contracts.Experiments;

/// <summary>One run in an experiment's list.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RunSummary")]
public sealed record RunSummary(
    [property: Id(0)] string RunId,
    [property: Id(1)] RunState State,
    [property: Id(2)] long LastStep,
    [property: Id(3)] int Checkpoints)
{
    /// <summary>What the pool places it with per device (<see cref="RunMemory.PlacementBytes"/>); null when not known.</summary>
    [Id(4)] public long? MemoryBytes { get; init; }

    /// <summary>While queued, why no registered worker could ever take it (<see cref="RunView.Waiting"/>).</summary>
    [Id(5)] public string? Waiting { get; init; }

    /// <summary>Times the run was preempted (<see cref="RunView.Preemptions"/>).</summary>
    [Id(6)] public int Preemptions { get; init; }
}
