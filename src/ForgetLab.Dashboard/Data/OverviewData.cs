using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Pool;

namespace ForgetLab.Dashboard.Data;

/// <summary>A tenant's home screen: its experiments, its runs in flight and its usage against quota.</summary>
/// <param name="Usage">The tenant's standing in the pool; null when the pool has never seen it.</param>
public sealed record OverviewData(
    string TenantId,
    string DisplayName,
    IReadOnlyList<ExperimentRow> Experiments,
    IReadOnlyList<RunInFlight> InFlight,
    TenantAllocation? Usage)
{
    /// <summary>For a platform admin: every tenant the pool knows, with its share and usage; empty for a tenant.</summary>
    public IReadOnlyList<TenantAllocation> AllTenants { get; init; } = [];
}

/// <summary>An experiment in the overview, with its runs' states.</summary>
public sealed record ExperimentRow(ExperimentView Experiment, IReadOnlyList<RunSummary> Runs)
{
    public int Ended => Runs.Count(r => RunStates.HasEnded(r.State));
}

/// <summary>A run that has not ended, and how far it has come.</summary>
public sealed record RunInFlight(string ExperimentId, RunSummary Run, int TotalSteps)
{
    public double Progress => TotalSteps <= 0 ? 0 : Math.Clamp((double)Run.LastStep / TotalSteps, 0, 1);
}
