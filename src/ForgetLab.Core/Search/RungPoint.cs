namespace ForgetLab.Core.Search;

/// <summary>A run's checkpoint at a rung, as the search sees it: target gain and forgetting with their intervals.</summary>
public sealed record RungPoint(string Run, ObjectiveInterval TargetGain, ObjectiveInterval Forgetting)
{
    /// <summary>
    /// The objective suites' per-item outcomes at this checkpoint, or null where they are not available (the platform's grain
    /// holds only the suites' scores). With them on both runs, <see cref="HalvingSearch.Dominates"/> uses the paired run-vs-run
    /// test; without, the intervals against the base.
    /// </summary>
    public IReadOnlyList<ObjectiveItems>? Items { get; init; }
}
