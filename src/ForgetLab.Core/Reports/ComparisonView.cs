using System.Collections.Immutable;
using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Reports;

/// <summary>Runs side by side (the answer of <c>GET /api/v1/compare</c> and the dashboard's Compare page).</summary>
/// <param name="Reference">The first run named; every other run is paired with it.</param>
/// <param name="Runs">Each run's summary numbers from its report.</param>
/// <param name="Suites">Suites every run was evaluated on.</param>
/// <param name="OnlyInSome">Suites some runs were not evaluated on, left out of the comparison.</param>
public sealed record ComparisonView(string Reference, ImmutableArray<ComparedRunSummary> Runs, ImmutableArray<ComparedSuite> Suites, ImmutableArray<string> OnlyInSome);

public sealed record ComparedRunSummary(string Run, string Method, RunStatus Status, long? FinalStep, Severity? Severity, double TargetGainPoints, double ForgettingPoints);

/// <summary>One suite: each run's delta against its own base, side by side, and each run paired with the reference.</summary>
public sealed record ComparedSuite(string Suite, SuiteCategory Category, OutcomeKind Kind, string Metric, ImmutableArray<ComparedRun> Runs, ImmutableArray<PairedComparison> Paired);

/// <param name="NotKnownByBase">The run's base does not know this suite (<see cref="SuiteResult.NotKnownByBase"/>): no severity, and the
/// delta is neither forgetting nor robustness; the compare page and API say so beside the delta.</param>
public sealed record ComparedRun(string Run, string Version, double Base, double Score, double DeltaPoints, Severity? Severity, bool NotKnownByBase);

/// <summary>
/// A run against the reference on the items both final checkpoints were scored on (same suite
/// version): <see cref="DeltaPoints"/> = run − reference; lost/gained count items the run gets
/// wrong/right that the reference got right/wrong. <see cref="Reason"/> says why there is no pairing.
/// </summary>
public sealed record PairedComparison(
    string Run, bool Paired, string? Reason, int N, int Unpaired, double? ReferenceScore, double? Score, double? DeltaPoints,
    IReadOnlyList<double>? Ci95, double? PValue, int Lost, int Gained)
{
    public static PairedComparison Not(string run, string reason) => new(run, false, reason, 0, 0, null, null, null, null, null, 0, 0);
}
