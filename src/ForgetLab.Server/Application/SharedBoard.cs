using ForgetLab.Contracts.Board;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Core.Reports;

namespace ForgetLab.Server.Application;

/// <summary>
/// The cross-tenant board: every experiment some tenant published, with its runs' report numbers
/// only (severity, target gain, forgetting, frontier), never items, datasets or checkpoints, grouped
/// and ranked by <see cref="BoardRanking"/>.
/// </summary>
public sealed class SharedBoard(IGrainFactory grains, Experiments experiments, ExperimentReports reports)
{
    public async Task<BoardView> Get(CancellationToken cancel)
    {
        var entries = new List<BoardEntry>();
        foreach (var experiment in await Published())
        {
            var spec = experiments.SpecOf(experiment);
            entries.Add(new BoardEntry(experiment.TenantId, experiment.ExperimentId, experiment.Description,
                [.. spec.Suites.Select(s => s.Name)], await reports.Assemble(experiment, cancel)));
        }

        return BoardRanking.Rank(entries);
    }

    /// <summary>Every experiment published now, in publication order.</summary>
    public async Task<IReadOnlyList<ExperimentView>> Published()
    {
        var published = new List<ExperimentView>();
        foreach (var p in await grains.GetGrain<IBoardGrain>(IBoardGrain.Key).List())
            if (await PublishedExperiment(p.TenantId, p.ExperimentId) is { } experiment) published.Add(experiment);
        return published;
    }

    /// <summary>
    /// A published experiment read on the board's behalf (as a viewer of its own tenant, which only
    /// the server can do), or null when it is not published (anymore), does not exist, or the ids
    /// cannot be an experiment's.
    /// </summary>
    public async Task<ExperimentView?> PublishedExperiment(string tenantId, string experimentId)
    {
        if (!GrainKeys.IsTenantId(tenantId) || !GrainKeys.IsExperimentId(experimentId)) return null;
        if (!await grains.GetGrain<IBoardGrain>(IBoardGrain.Key).IsPublished(tenantId, experimentId)) return null;
        var reply = await grains.GetGrain<IExperimentGrain>(GrainKeys.Experiment(tenantId, experimentId)).Get(new Caller(tenantId, TenantRole.Viewer, "board"));
        return reply.Status == ReplyStatus.Ok && reply.Value!.Published ? reply.Value : null;
    }
}
