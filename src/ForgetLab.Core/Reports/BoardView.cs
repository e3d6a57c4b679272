using System.Collections.Immutable;
using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Reports;

/// <summary>The cross-tenant board (<c>GET /api/v1/board</c> and the dashboard's Board page): comparable groups of published experiments.</summary>
public sealed record BoardView(ImmutableArray<BoardGroup> Groups);

/// <summary>Published experiments on one base model (by its spec hash) and one suite set, and their runs ranked by the group's frontier.</summary>
public sealed record BoardGroup(
    string BaseModelHash, string BaseModel, ImmutableArray<string> Suites, ImmutableArray<BoardExperiment> Experiments, ImmutableArray<BoardRun> Runs);

public sealed record BoardExperiment(string TenantId, string ExperimentId, string? Description, string BaseModelHash, ImmutableArray<string> Suites, int ReportedRuns);

/// <summary>One run's report numbers; <see cref="Frontier"/>: on the Pareto front of its group (target gain up, forgetting down).</summary>
public sealed record BoardRun(
    int Rank, string TenantId, string ExperimentId, string RunId, string Method, RunStatus Status,
    Severity? Severity, double TargetGainPoints, double ForgettingPoints, bool Frontier);
