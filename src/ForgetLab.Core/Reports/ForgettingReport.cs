namespace ForgetLab.Core.Reports;

/// <summary>
/// The forgetting report of one experiment spec: the base model's scores, every run compared
/// with it, and the Pareto frontier. Its JSON (see <see cref="ReportJson"/>) is a contract other
/// components read.
/// </summary>
/// <param name="Frontier">Names of the Pareto-optimal runs.</param>
public sealed record ForgettingReport(
    string SpecName,
    DateTimeOffset CreatedUtc,
    BaseModelReport Base,
    IReadOnlyList<RunReport> Runs,
    IReadOnlyList<string> Frontier)
{
    /// <summary>Recipes run with several seeds, summarised across them (empty when every recipe has one seed).</summary>
    public IReadOnlyList<SeedGroup> SeedGroups { get; init; } = [];

    /// <summary>The user's data files the runs trained and were scored on, with their bounds (empty for the built-in world alone).</summary>
    public IReadOnlyList<DataFileReport> Data { get; init; } = [];
}
