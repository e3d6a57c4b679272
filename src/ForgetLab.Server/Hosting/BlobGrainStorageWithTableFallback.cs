using System.Collections.Concurrent;
using Orleans.Storage;

namespace ForgetLab.Server.Hosting;

/// <summary>
/// ForgetLab's grain storage: grain state lives in blobs, where it may be as large as a user's submissions make it (a pool
/// queue of thousands of runs, a 1,000-run experiment), and earlier versions' Azure Table rows (at most 1 MiB an entity,
/// which a few thousand queued runs exceed) are still read: a grain whose blob does not exist is read from its table row,
/// and its first write moves it, writing the blob (created, so a concurrent writer is refused rather than overwritten) and
/// then deleting the row. Nothing a deployment stored before the move is lost, and no row is read again once its blob exists.
/// </summary>
public sealed class BlobGrainStorageWithTableFallback(IGrainStorage blobs, IGrainStorage legacyTable, ILogger<BlobGrainStorageWithTableFallback> logger)
    : IGrainStorage
{
    // Grains read from their table row and not yet written since: their next write deletes the row. A grain activates on one
    // silo at a time, so the silo that read the row is the one that writes the blob.
    private readonly ConcurrentDictionary<(string StateName, GrainId GrainId), bool> _readFromTable = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        await blobs.ReadStateAsync(stateName, grainId, grainState, cancellationToken);
        if (grainState.RecordExists) return;

        await legacyTable.ReadStateAsync(stateName, grainId, grainState, cancellationToken);
        if (!grainState.RecordExists) return;
        // The state is the row's; the ETag must be the blob's (none yet), so the first write creates the blob.
        grainState.ETag = null;
        _readFromTable[(stateName, grainId)] = true;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        await blobs.WriteStateAsync(stateName, grainId, grainState, cancellationToken);
        if (!_readFromTable.TryRemove((stateName, grainId), out _)) return;
        try
        {
            await DeleteRow<T>(stateName, grainId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The write itself succeeded (the blob is the state now, and it is read first); the row is deleted on the next write.
            _readFromTable[(stateName, grainId)] = true;
            logger.LogWarning(e, "Grain {GrainId} ({StateName}) moved to blob storage; deleting its old table row failed, retried on its next write", grainId, stateName);
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        await blobs.ClearStateAsync(stateName, grainId, grainState, cancellationToken);
        // A row left behind would be read back as the state once the blob is gone.
        _readFromTable.TryRemove((stateName, grainId), out _);
        await DeleteRow<T>(stateName, grainId, cancellationToken);
    }

    private async Task DeleteRow<T>(string stateName, GrainId grainId, CancellationToken cancellationToken)
    {
        var row = new GrainState<T>();
        await legacyTable.ReadStateAsync(stateName, grainId, row, cancellationToken);
        if (row.RecordExists) await legacyTable.ClearStateAsync(stateName, grainId, row, cancellationToken);
    }
}
