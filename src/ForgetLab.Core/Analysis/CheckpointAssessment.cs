
namespace ForgetLab.Core.Analysis;

/// <summary>
/// Every suite of one checkpoint after the Holm correction, with the summary numbers a run is
/// ranked by.
/// </summary>
/// <param name="Suites">Suite results in input order, ready for the report.</param>
/// <param name="RunSeverity">Run label (<see cref="SeverityBands.Run"/>): catastrophic when most gated knowledge and skill suites are at chance, else the worst point band over the gated suites; none if there are none.</param>
/// <param name="TargetGainPoints">Mean delta (points) over binary target suites; 0 if there are none.</param>
/// <param name="ForgettingPoints">Largest drop (positive points) over binary knowledge and skill suites the base knows; 0 if none dropped.</param>
public sealed record CheckpointAssessment(
    IReadOnlyList<SuiteResult> Suites,
    Severity RunSeverity,
    double TargetGainPoints,
    double ForgettingPoints)
{
    /// <summary>Share of the gated knowledge and skill suites at chance; null when none is gated.</summary>
    public double? AtChanceShare { get; init; }
}
