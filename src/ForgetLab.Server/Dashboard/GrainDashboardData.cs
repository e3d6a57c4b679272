using System.Security.Claims;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Tenants;
using ForgetLab.Core.Reports;
using ForgetLab.Dashboard.Data;
using ForgetLab.Server.Application;
using ForgetLab.Server.Reports;
using ForgetLab.Server.Security;

namespace ForgetLab.Server.Dashboard;

/// <summary>
/// The dashboard's data, with the signed-in user as the caller, over the same application layer as
/// the REST API (<see cref="Experiments"/>, <see cref="ExperimentReports"/>, <see cref="RunComparisons"/>,
/// <see cref="SharedBoard"/>), so a page never sees more than the API would show the same key.
/// Here only the answers are shaped for pages.
/// </summary>
public sealed class GrainDashboardData(
    IGrainFactory grains,
    Experiments experiments,
    ExperimentReports reports,
    RunComparisons comparisons,
    SharedBoard board,
    RunReportStore runReports,
    ItemChangeReader changes) : IDashboardData
{
    public Caller CallerOf(ClaimsPrincipal user) => user.ToCaller();

    public async Task<OverviewData> Overview(ClaimsPrincipal user, CancellationToken cancel)
    {
        var caller = user.ToCaller();
        var pool = await grains.GetGrain<IGpuPoolGrain>(GrainKeys.Pool).GetSnapshot();
        var usage = pool.Tenants.FirstOrDefault(t => t.TenantId == caller.TenantId);
        if (caller.TenantId == CallerClaims.PlatformTenant)
            return new OverviewData(caller.TenantId, "Platform admin", [], [], usage) { AllTenants = pool.Tenants };

        var tenant = await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(caller.TenantId)).Get(caller);
        var name = tenant.Status == ReplyStatus.Ok ? tenant.Value!.Settings.DisplayName : caller.TenantId;

        var ids = await experiments.Ids(caller);
        var rows = new List<ExperimentRow>();
        foreach (var id in ids.Status == ReplyStatus.Ok ? ids.Value : [])
        {
            var (view, runs) = (await experiments.Get(caller, id), await experiments.OnExperiment(caller, id, e => e.ListRuns(caller)));
            if (view.Status == ReplyStatus.Ok && runs.Status == ReplyStatus.Ok) rows.Add(new ExperimentRow(view.Value!, runs.Value));
        }

        // Only runs in flight are read one by one (for their planned steps): at most the tenant's devices plus its queue.
        var inFlight = new List<RunInFlight>();
        foreach (var row in rows)
            foreach (var run in row.Runs.Where(r => !RunStates.HasEnded(r.State)))
            {
                var view = await experiments.GetRun(caller, row.Experiment.ExperimentId, run.RunId);
                inFlight.Add(new RunInFlight(row.Experiment.ExperimentId, run, view.Status == ReplyStatus.Ok ? view.Value!.Recipe.Steps : 0));
            }

        return new OverviewData(caller.TenantId, name, [.. rows.OrderByDescending(r => r.Experiment.SubmittedAt)], inFlight, usage);
    }

    public async Task<ExperimentData?> Experiment(ClaimsPrincipal user, string experimentId, CancellationToken cancel)
    {
        var caller = user.ToCaller();
        var view = await experiments.Get(caller, experimentId);
        if (view.Status != ReplyStatus.Ok) return null;
        var runs = await experiments.OnExperiment(caller, experimentId, e => e.ListRuns(caller));
        var listed = runs.Status == ReplyStatus.Ok ? runs.Value : [];
        var report = await reports.Assemble(view.Value!, listed, cancel);
        return new ExperimentData(view.Value!, listed, report);
    }

    public async Task<RunData?> Run(ClaimsPrincipal user, string experimentId, string runId, CancellationToken cancel)
    {
        var caller = user.ToCaller();
        var experiment = await experiments.Get(caller, experimentId);
        if (experiment.Status != ReplyStatus.Ok || !experiment.Value!.RunIds.Contains(runId)) return null;
        var run = await experiments.GetRun(caller, experimentId, runId);
        if (run.Status != ReplyStatus.Ok) return null;
        var report = RunStates.HasEnded(run.Value!.State) ? await runReports.Read(caller.TenantId, experimentId, runId, cancel) : null;
        var spec = experiments.SpecOf(experiment.Value);
        return new RunData(run.Value, report, [.. spec.Suites.Select(s => s.Name)], experiment.Value.Base);
    }

    public async Task<IReadOnlyList<ItemChange>?> ItemChanges(ClaimsPrincipal user, string experimentId, string runId, long step, string suite, CancellationToken cancel)
    {
        var caller = user.ToCaller();
        var run = await experiments.GetRun(caller, experimentId, runId);
        return run.Status == ReplyStatus.Ok ? await changes.Read(caller, run.Value!, step, suite, cancel) : null;
    }

    public async Task<IReadOnlyList<ComparableRun>> ComparableRuns(ClaimsPrincipal user, CancellationToken cancel)
    {
        var caller = user.ToCaller();
        var runs = new List<ComparableRun>();
        var ids = await experiments.Ids(caller);
        foreach (var id in ids.Status == ReplyStatus.Ok ? ids.Value : [])
        {
            var view = await experiments.Get(caller, id);
            if (view.Status == ReplyStatus.Ok)
                runs.AddRange(view.Value!.RunIds.Select(r => new ComparableRun($"{id}/{r}", caller.TenantId, id, r, false)));
        }

        foreach (var experiment in await board.Published())
        {
            if (experiment.TenantId == caller.TenantId) continue;
            runs.AddRange(experiment.RunIds.Select(r => new ComparableRun($"{experiment.TenantId}/{experiment.ExperimentId}/{r}", experiment.TenantId, experiment.ExperimentId, r, true)));
        }

        return runs;
    }

    public async Task<Outcome<ComparisonView>> Compare(ClaimsPrincipal user, IReadOnlyList<string> runRefs, CancellationToken cancel) =>
        OutcomeOf(await comparisons.Compare(user.ToCaller(), string.Join(',', runRefs), cancel));

    public Task<BoardView> Board(ClaimsPrincipal user, CancellationToken cancel) => board.Get(cancel);

    public async Task<PoolSnapshot?> Pool(ClaimsPrincipal user, CancellationToken cancel) =>
        user.ToCaller().Role == TenantRole.PlatformAdmin ? await grains.GetGrain<IGpuPoolGrain>(GrainKeys.Pool).GetSnapshot() : null;

    public IReadOnlyList<FieldError> Validate(string specYaml) => experiments.Validate(specYaml);

    public async Task<Outcome<string>> Submit(ClaimsPrincipal user, string specYaml, CancellationToken cancel)
    {
        var reply = await experiments.Submit(user.ToCaller(), new ExperimentSubmission(specYaml));
        return reply.Status == ReplyStatus.Ok
            ? Outcome<string>.Ok(reply.Value!.Experiment.ExperimentId)
            : Outcome<string>.Failed(reply.Error ?? reply.Status.ToString(), reply.Errors.IsDefault ? [] : reply.Errors);
    }

    /// <summary>A failed reply as a page shows it: the message, and the field errors, each with its path.</summary>
    private static Outcome<ComparisonView> OutcomeOf(Reply<ComparisonView> reply) => reply.Status switch
    {
        ReplyStatus.Ok => Outcome<ComparisonView>.Ok(reply.Value!),
        ReplyStatus.Invalid => Outcome<ComparisonView>.Failed(string.Join("; ", reply.Errors.GroupBy(e => e.Path).SelectMany(g => g.Select(e => $"{g.Key}: {e.Message}")))),
        _ => Outcome<ComparisonView>.Failed(reply.Error ?? "refused"),
    };
}
