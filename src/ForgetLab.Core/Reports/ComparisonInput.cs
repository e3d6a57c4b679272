namespace ForgetLab.Core.Reports;

/// <summary>
/// One run to compare: how the caller named it, its report, and the per-item outcomes of its final
/// checkpoint (<see cref="RunComparison.FinalCheckpoint"/>); null when that checkpoint has none.
/// </summary>
public sealed record ComparisonInput(string Ref, RunReport Report, IReadOnlyList<ItemScore>? FinalItems);
