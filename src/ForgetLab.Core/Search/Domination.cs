namespace ForgetLab.Core.Search;

/// <summary>A run the search stops at a rung, and every run that dominates it there (in input order).</summary>
public sealed record Domination(string Run, long Step, IReadOnlyList<string> DominatedBy)
{
    /// <summary>The reason the run ends with: "dominated at step 50 by full-lr1e-4 (and 2 others)".</summary>
    public string Reason => DominatedBy.Count == 1
        ? $"dominated at step {Step} by {DominatedBy[0]}"
        : $"dominated at step {Step} by {DominatedBy[0]} (and {DominatedBy.Count - 1} other{(DominatedBy.Count == 2 ? "" : "s")}: {string.Join(", ", DominatedBy.Skip(1))})";

    /// <summary>
    /// True when every run that dominates this one was compared with it item by item (the paired test); false when any was
    /// compared by the fallback, the runs' intervals against the base, because per-item outcomes were missing. The reason's
    /// text is the same either way; a caller that shows the stop can say which test decided it.
    /// </summary>
    public bool OnItems { get; init; }
}
