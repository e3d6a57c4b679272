using ForgetLab.Core.Checkpoints;

namespace ForgetLab.Grains.Experiments;

/// <summary>
/// Reads a saved checkpoint's per-item outcomes (its <c>items.jsonl</c>) for the experiment's search, so a rung compares runs
/// item by item (the paired run-vs-run test) instead of by their intervals against the base. The grains only hold each
/// checkpoint's suite scores; the items stay where the worker uploaded them, and are read once per rung decision. The server
/// reads them from Blob storage; a host that registers no reader gets <see cref="NoCheckpointItems"/>, and the search uses the
/// intervals.
/// </summary>
public interface ICheckpointItemReader
{
    /// <summary>The items of the checkpoint at <paramref name="blobLocation"/> (as the worker reported it), or null when it has none there.</summary>
    Task<IReadOnlyList<ItemResult>?> Read(string blobLocation, CancellationToken cancel);
}

/// <summary>A reader for hosts without checkpoint storage: no checkpoint has items, so every rung is decided by the intervals.</summary>
public sealed class NoCheckpointItems : ICheckpointItemReader
{
    public Task<IReadOnlyList<ItemResult>?> Read(string blobLocation, CancellationToken cancel) => Task.FromResult<IReadOnlyList<ItemResult>?>(null);
}
