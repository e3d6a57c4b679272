using System.Security.Claims;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Pool;
using ForgetLab.Core.Reports;

namespace ForgetLab.Dashboard.Data;

/// <summary>
/// Everything the dashboard reads and does, for the signed-in user. The host (ForgetLab.Server)
/// implements it over the grains and the report store with the same tenant checks as the REST API;
/// a page makes one call per screen, never one per row. A null answer means "not found for this
/// user" (another tenant's experiment included), which pages show as the 404 page.
/// </summary>
public interface IDashboardData
{
    /// <summary>Who the principal is (tenant, role), as the API's key check established it.</summary>
    Caller CallerOf(ClaimsPrincipal user);

    Task<OverviewData> Overview(ClaimsPrincipal user, CancellationToken cancel);

    /// <summary>The experiment, its runs' states and its report (ended runs), in one call.</summary>
    Task<ExperimentData?> Experiment(ClaimsPrincipal user, string experimentId, CancellationToken cancel);

    /// <summary>A run as it is now (state, checkpoints, transitions) and its report once it has ended.</summary>
    Task<RunData?> Run(ClaimsPrincipal user, string experimentId, string runId, CancellationToken cancel);

    /// <summary>The items one checkpoint lost and gained on one suite, with the answers given.</summary>
    Task<IReadOnlyList<ItemChange>?> ItemChanges(ClaimsPrincipal user, string experimentId, string runId, long step, string suite, CancellationToken cancel);

    /// <summary>Runs the user may compare: their own tenant's and those on the shared board.</summary>
    Task<IReadOnlyList<ComparableRun>> ComparableRuns(ClaimsPrincipal user, CancellationToken cancel);

    /// <summary>Runs side by side with paired CIs against the first; an error says why not (e.g. a run has not ended).</summary>
    Task<Outcome<ComparisonView>> Compare(ClaimsPrincipal user, IReadOnlyList<string> runRefs, CancellationToken cancel);

    Task<BoardView> Board(ClaimsPrincipal user, CancellationToken cancel);

    /// <summary>The pool (workers, devices, leases, queue, fair share); null unless the user is a platform admin.</summary>
    Task<PoolSnapshot?> Pool(ClaimsPrincipal user, CancellationToken cancel);

    /// <summary>Checks a spec as the API would, without submitting it.</summary>
    IReadOnlyList<FieldError> Validate(string specYaml);

    /// <summary>Submits a spec through the same path as <c>POST /api/v1/experiments</c>; the experiment id, or the errors.</summary>
    Task<Outcome<string>> Submit(ClaimsPrincipal user, string specYaml, CancellationToken cancel);
}
