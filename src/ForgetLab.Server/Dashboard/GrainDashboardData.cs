using System.Collections.Immutable;
using System.Security.Claims;
using ForgetLab.Contracts.Board;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Contracts.Tenants;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Dashboard.Data;
using ForgetLab.Grains.Common;
using ForgetLab.Grains.Hosting;
using ForgetLab.Server.Apis;
using ForgetLab.Server.Reports;
using ForgetLab.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ForgetLab.Server.Dashboard;

/// <summary>
/// The dashboard's data over the silo's grains and the report store, with the signed-in user as
/// the caller: the same grain calls, tenant checks, report assembly, board and comparison as the
/// REST API (it calls the API's handlers where they exist), so a page never sees more than the
/// API would show the same key.
/// </summary>
public sealed class GrainDashboardData(
    IGrainFactory grains,
    ExperimentReports reports,
    RunReportStore runReports,
    CheckpointStore checkpoints,
    ItemChangeReader changes,
    IOptions<ExperimentOptions> experimentOptions) : IDashboardData
{
    public Caller CallerOf(ClaimsPrincipal user) => user.ToCaller();

    public async Task<OverviewData> Overview(ClaimsPrincipal user, CancellationToken cancel)
    {
        var caller = user.ToCaller();
        var pool = await grains.GetGrain<IGpuPoolGrain>(GrainKeys.Pool).GetSnapshot();
        var usage = pool.Tenants.FirstOrDefault(t => t.TenantId == caller.TenantId);
        if (caller.TenantId == CallerClaims.PlatformTenant)
            return new OverviewData(caller.TenantId, "Platform admin", [], [], usage) { AllTenants = pool.Tenants };

        var tenant = await grains.GetGrain<ITenantGrain>(caller.TenantId).Get(caller);
        var name = tenant.Status == ReplyStatus.Ok ? tenant.Value!.Settings.DisplayName : caller.TenantId;

        var ids = await grains.GetGrain<IExperimentDirectoryGrain>(caller.TenantId).List(caller);
        var rows = new List<ExperimentRow>();
        foreach (var id in ids.Status == ReplyStatus.Ok ? ids.Value : [])
        {
            var experiment = grains.GetGrain<IExperimentGrain>(ExperimentsApi.Key(caller, id));
            var (view, runs) = (await experiment.Get(caller), await experiment.ListRuns(caller));
            if (view.Status == ReplyStatus.Ok && runs.Status == ReplyStatus.Ok) rows.Add(new ExperimentRow(view.Value!, runs.Value));
        }

        // Only runs in flight are read one by one (for their planned steps): at most the tenant's devices plus its queue.
        var inFlight = new List<RunInFlight>();
        foreach (var row in rows)
            foreach (var run in row.Runs.Where(r => !RunStates.HasEnded(r.State)))
            {
                var view = await RunGrain(caller, row.Experiment.ExperimentId, run.RunId).Get(caller);
                inFlight.Add(new RunInFlight(row.Experiment.ExperimentId, run, view.Status == ReplyStatus.Ok ? view.Value!.Recipe.Steps : 0));
            }

        return new OverviewData(caller.TenantId, name, [.. rows.OrderByDescending(r => r.Experiment.SubmittedAt)], inFlight, usage);
    }

    public async Task<ExperimentData?> Experiment(ClaimsPrincipal user, string experimentId, CancellationToken cancel)
    {
        var caller = user.ToCaller();
        var experiment = grains.GetGrain<IExperimentGrain>(ExperimentsApi.Key(caller, experimentId));
        var view = await experiment.Get(caller);
        if (view.Status != ReplyStatus.Ok) return null;
        var runs = await experiment.ListRuns(caller);
        var report = await reports.Assemble(view.Value!, cancel);
        return new ExperimentData(view.Value!, runs.Status == ReplyStatus.Ok ? runs.Value : [], report);
    }

    public async Task<RunData?> Run(ClaimsPrincipal user, string experimentId, string runId, CancellationToken cancel)
    {
        var caller = user.ToCaller();
        var experiment = await grains.GetGrain<IExperimentGrain>(ExperimentsApi.Key(caller, experimentId)).Get(caller);
        if (experiment.Status != ReplyStatus.Ok || !experiment.Value!.RunIds.Contains(runId)) return null;
        var run = await RunGrain(caller, experimentId, runId).Get(caller);
        if (run.Status != ReplyStatus.Ok) return null;
        var report = RunStates.HasEnded(run.Value!.State) ? await runReports.Read(caller.TenantId, experimentId, runId, cancel) : null;
        var spec = SpecLoader.ParseUnder(experiment.Value.SpecText, $"{experimentId}.yaml", experimentOptions.Value.SpecFiles);
        return new RunData(run.Value, report, [.. spec.Suites.Select(s => s.Name)]);
    }

    public async Task<IReadOnlyList<ItemChange>?> ItemChanges(ClaimsPrincipal user, string experimentId, string runId, long step, string suite, CancellationToken cancel)
    {
        var caller = user.ToCaller();
        var run = await RunGrain(caller, experimentId, runId).Get(caller);
        return run.Status == ReplyStatus.Ok ? await changes.Read(caller, ExperimentsApi.Key(caller, experimentId), run.Value!, step, suite, cancel) : null;
    }

    public async Task<IReadOnlyList<ComparableRun>> ComparableRuns(ClaimsPrincipal user, CancellationToken cancel)
    {
        var caller = user.ToCaller();
        var runs = new List<ComparableRun>();
        var ids = await grains.GetGrain<IExperimentDirectoryGrain>(caller.TenantId).List(caller);
        foreach (var id in ids.Status == ReplyStatus.Ok ? ids.Value : [])
        {
            var view = await grains.GetGrain<IExperimentGrain>(ExperimentsApi.Key(caller, id)).Get(caller);
            if (view.Status == ReplyStatus.Ok)
                runs.AddRange(view.Value!.RunIds.Select(r => new ComparableRun($"{id}/{r}", caller.TenantId, id, r, false)));
        }

        foreach (var published in await grains.GetGrain<IBoardGrain>(IBoardGrain.Key).List())
        {
            if (published.TenantId == caller.TenantId) continue;
            if (await BoardApi.PublishedExperiment(grains, published.TenantId, published.ExperimentId) is not { } experiment) continue;
            runs.AddRange(experiment.RunIds.Select(r => new ComparableRun($"{experiment.TenantId}/{experiment.ExperimentId}/{r}", experiment.TenantId, experiment.ExperimentId, r, true)));
        }

        return runs;
    }

    public async Task<Outcome<ComparisonView>> Compare(ClaimsPrincipal user, IReadOnlyList<string> runRefs, CancellationToken cancel)
    {
        var answer = await CompareApi.Compare(string.Join(',', runRefs), Services(user), runReports, checkpoints, cancel);
        return answer.Result switch
        {
            Ok<ComparisonView> ok => Outcome<ComparisonView>.Ok(ok.Value!),
            ProblemHttpResult problem => Outcome<ComparisonView>.Failed(ProblemText(problem)),
            _ => Outcome<ComparisonView>.Failed("the comparison gave no answer"),
        };
    }

    public async Task<BoardView> Board(ClaimsPrincipal user, CancellationToken cancel) =>
        (await BoardApi.GetBoard(Services(user), reports, cancel)).Value!;

    public async Task<PoolSnapshot?> Pool(ClaimsPrincipal user, CancellationToken cancel) =>
        user.ToCaller().Role == TenantRole.PlatformAdmin ? await grains.GetGrain<IGpuPoolGrain>(GrainKeys.Pool).GetSnapshot() : null;

    public IReadOnlyList<FieldError> Validate(string specYaml)
    {
        try
        {
            SpecLoader.ParseUnder(specYaml, "spec.yaml", experimentOptions.Value.SpecFiles);
            return [];
        }
        catch (SpecValidationException e)
        {
            return [.. e.Errors.Select(error => new FieldError(error.Line, error.Path, error.Message))];
        }
    }

    public async Task<Outcome<string>> Submit(ClaimsPrincipal user, string specYaml, CancellationToken cancel)
    {
        var caller = user.ToCaller();
        if (caller.TenantId == CallerClaims.PlatformTenant)
            return Outcome<string>.Failed("the platform admin key manages tenants; sign in with a tenant's API key to submit");
        // As on the API: the role first, so a viewer's spec is never parsed.
        if (caller.Role < TenantRole.Member) return Outcome<string>.Failed("this needs the member role");
        if (specYaml.Length > ExperimentsApi.MaxSpecBytes)
            return Outcome<string>.Failed($"the spec is larger than {ExperimentsApi.MaxSpecBytes / 1024} KiB");
        var errors = Validate(specYaml);
        if (errors.Count > 0) return Outcome<string>.Failed("the spec is invalid; nothing was stored", errors);

        var name = SpecLoader.ParseUnder(specYaml, "spec.yaml", experimentOptions.Value.SpecFiles).Name;
        var reply = await grains.GetGrain<IExperimentGrain>(ExperimentsApi.Key(caller, name)).Submit(caller, new ExperimentSubmission(specYaml));
        return reply.Status == ReplyStatus.Ok
            ? Outcome<string>.Ok(reply.Value!.ExperimentId)
            : Outcome<string>.Failed(reply.Error ?? reply.Status.ToString(), reply.Errors.IsDefault ? [] : reply.Errors);
    }

    private ApiServices Services(ClaimsPrincipal user) => new(grains, user, experimentOptions);

    private IRunGrain RunGrain(Caller caller, string experimentId, string runId) =>
        grains.GetGrain<IRunGrain>($"{ExperimentsApi.Key(caller, experimentId)}/{runId.Replace('/', '_')}");

    private static string ProblemText(ProblemHttpResult problem) =>
        problem.ProblemDetails is Microsoft.AspNetCore.Http.HttpValidationProblemDetails validation && validation.Errors.Count > 0
            ? string.Join("; ", validation.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")))
            : problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "refused";
}
