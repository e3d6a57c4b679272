using System.Collections.Immutable;
using ForgetLab.Contracts.Board;
using ForgetLab.Grains.Common;
using ForgetLab.Grains.Hosting;

namespace ForgetLab.Grains.Board;

/// <summary>
/// The list of published experiments across tenants, persisted so the board survives restarts.
/// Only experiment grains write it (after their own state is saved); the API reads it.
/// </summary>
public sealed class BoardGrain(
    [PersistentState("board", GrainStorage.Name)] IPersistentState<BoardState> board,
    PlatformClock clock) : Grain, IBoardGrain
{
    public async Task SetPublished(string tenantId, string experimentId, bool published)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(experimentId);
        var listed = board.State.Experiments.Any(e => Is(e, tenantId, experimentId));
        if (listed == published) return;

        var before = board.State;
        await board.SaveOrRollBack(before with
        {
            Experiments = published
                ? before.Experiments.Add(new PublishedExperiment(tenantId, experimentId, clock.UtcNow))
                : before.Experiments.RemoveAll(e => Is(e, tenantId, experimentId)),
        }, "board");
    }

    public Task<ImmutableArray<PublishedExperiment>> List() => Task.FromResult(board.State.Experiments);

    public Task<bool> IsPublished(string tenantId, string experimentId) =>
        Task.FromResult(board.State.Experiments.Any(e => Is(e, tenantId, experimentId)));

    private static bool Is(PublishedExperiment e, string tenantId, string experimentId) =>
        e.TenantId == tenantId && e.ExperimentId == experimentId;
}
