using System.Security.Claims;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Pool;
using ForgetLab.Core.Reports;
using ForgetLab.Dashboard.Data;

namespace ForgetLab.Dashboard.Warmup;

/// <summary>The start-up render's only data: its one made-up experiment. It shows the experiment page alone, so the rest is refused.</summary>
internal sealed class WarmupDashboardData(ExperimentData experiment) : IDashboardData
{
    public Caller CallerOf(ClaimsPrincipal user) => new(WarmupExperiment.TenantId, TenantRole.Member, "warmup");

    public Task<ExperimentData?> Experiment(ClaimsPrincipal user, string experimentId, CancellationToken cancel) =>
        Task.FromResult(experimentId == experiment.Experiment.ExperimentId ? experiment : null);

    public Task<OverviewData> Overview(ClaimsPrincipal user, CancellationToken cancel) => throw OnlyTheExperimentPage();

    public Task<RunData?> Run(ClaimsPrincipal user, string experimentId, string runId, CancellationToken cancel) => throw OnlyTheExperimentPage();

    public Task<IReadOnlyList<ItemChange>?> ItemChanges(ClaimsPrincipal user, string experimentId, string runId, long step, string suite, CancellationToken cancel) =>
        throw OnlyTheExperimentPage();

    public Task<IReadOnlyList<ComparableRun>> ComparableRuns(ClaimsPrincipal user, CancellationToken cancel) => throw OnlyTheExperimentPage();

    public Task<Outcome<ComparisonView>> Compare(ClaimsPrincipal user, IReadOnlyList<string> runRefs, CancellationToken cancel) => throw OnlyTheExperimentPage();

    public Task<BoardView> Board(ClaimsPrincipal user, CancellationToken cancel) => throw OnlyTheExperimentPage();

    public Task<PoolSnapshot?> Pool(ClaimsPrincipal user, CancellationToken cancel) => throw OnlyTheExperimentPage();

    public IReadOnlyList<FieldError> Validate(string specYaml) => throw OnlyTheExperimentPage();

    public Task<Outcome<string>> Submit(ClaimsPrincipal user, string specYaml, CancellationToken cancel) => throw OnlyTheExperimentPage();

    private static NotSupportedException OnlyTheExperimentPage() => new("the start-up render shows only the experiment page");
}
