using System.Collections.Immutable;
using ForgetLab.Contracts.Board;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Server.Reports;
using ForgetLab.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ForgetLab.Server.Apis;

/// <summary>
/// The cross-tenant board: every experiment some tenant published, with its runs' report numbers
/// only (severity, target gain, forgetting, frontier) — never items, datasets or checkpoints.
/// Experiments are grouped by base model hash and suite set (only those are comparable) and each
/// group's runs are ranked by the group's frontier.
/// </summary>
public static class BoardApi
{
    public static IEndpointRouteBuilder MapBoardApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup($"{ApiConventions.Prefix}/board").WithTags("Board").RequireAuthorization(CallerClaims.TenantPolicy)
            .MapGet("/", GetBoard);
        return app;
    }

    public static async Task<Ok<BoardView>> GetBoard([AsParameters] ApiServices services, ExperimentReports reports, CancellationToken cancel)
    {
        var published = await services.Grains.GetGrain<IBoardGrain>(IBoardGrain.Key).List();
        var entries = new List<(ExperimentView Experiment, LabSpec Spec, ForgettingReport Report)>();
        foreach (var p in published)
        {
            if (await PublishedExperiment(services.Grains, p.TenantId, p.ExperimentId) is not { } experiment) continue;
            var spec = SpecLoader.ParseUnder(experiment.SpecText, $"{experiment.ExperimentId}.yaml", services.ExperimentOptions.Value.SpecFiles);
            entries.Add((experiment, spec, await reports.Assemble(experiment, cancel)));
        }

        var groups = entries
            .GroupBy(e => (Hash: e.Report.Base.ModelHash, Suites: string.Join(",", e.Spec.Suites.Select(s => s.Name).Order(StringComparer.Ordinal))))
            .Select(g => Group(g.Key.Hash, g.First().Report.Base.Model, [.. g.Key.Suites.Split(',')], [.. g.Select(e => (e.Experiment, e.Report))]))
            .OrderByDescending(g => g.Runs.Length)
            .ThenBy(g => g.BaseModelHash, StringComparer.Ordinal)
            .ToImmutableArray();
        return TypedResults.Ok(new BoardView(groups));
    }

    /// <summary>
    /// A published experiment read on the board's behalf (as a viewer of its own tenant, which only
    /// the server can do), or null when it is not published (anymore) or does not exist.
    /// </summary>
    internal static async Task<ExperimentView?> PublishedExperiment(IGrainFactory grains, string tenantId, string experimentId)
    {
        if (!await grains.GetGrain<IBoardGrain>(IBoardGrain.Key).IsPublished(tenantId, experimentId)) return null;
        var reply = await grains.GetGrain<IExperimentGrain>($"{tenantId}/{experimentId}").Get(new Caller(tenantId, TenantRole.Viewer, "board"));
        return reply.Status == ReplyStatus.Ok && reply.Value!.Published ? reply.Value : null;
    }

    private static BoardGroup Group(string hash, string model, ImmutableArray<string> suites, ImmutableArray<(ExperimentView Experiment, ForgettingReport Report)> experiments)
    {
        var runs = experiments
            .SelectMany(e => e.Report.Runs.Where(r => r.Checkpoints.Count > 0).Select(r => (e.Experiment, Run: r)))
            .ToList();
        var frontier = runs.Count == 0
            ? []
            : ParetoFront.Compute([.. runs.Select(r => (Key(r.Experiment, r.Run.Name), r.Run.TargetGainPoints, r.Run.ForgettingPoints))]);
        var ranked = runs
            .OrderByDescending(r => frontier.Contains(Key(r.Experiment, r.Run.Name)))
            .ThenBy(r => r.Run.ForgettingPoints - r.Run.TargetGainPoints)
            .ThenBy(r => Key(r.Experiment, r.Run.Name), StringComparer.Ordinal)
            .Select((r, i) => new BoardRun(
                i + 1, r.Experiment.TenantId, r.Experiment.ExperimentId, r.Run.Name, r.Run.Method, r.Run.Status,
                r.Run.Severity, r.Run.TargetGainPoints, r.Run.ForgettingPoints, frontier.Contains(Key(r.Experiment, r.Run.Name))))
            .ToImmutableArray();
        return new BoardGroup(
            hash, model, suites,
            [.. experiments.Select(e => new BoardExperiment(e.Experiment.TenantId, e.Experiment.ExperimentId, e.Experiment.Description, e.Report.Base.ModelHash, suites, e.Report.Runs.Count))],
            ranked);
    }

    private static string Key(ExperimentView experiment, string run) => $"{experiment.TenantId}/{experiment.ExperimentId}/{run}";
}
