using System.Collections.Concurrent;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Grains.Experiments;

namespace ForgetLab.Grains.Tests;

/// <summary>
/// The test clusters' checkpoint item store: a test puts a checkpoint's items at the blob location its run reports, as a
/// worker uploads items.jsonl; a location nobody put anything at has none, so tests that give no items see the intervals.
/// One store for every cluster: the locations hold the run key, which holds the test's own tenant.
/// </summary>
public sealed class CheckpointItemsInMemory : ICheckpointItemReader
{
    public static readonly CheckpointItemsInMemory Shared = new();

    private readonly ConcurrentDictionary<string, IReadOnlyList<ItemResult>> _items = new(StringComparer.Ordinal);

    public void Put(string blobLocation, IReadOnlyList<ItemResult> items) => _items[blobLocation] = items;

    public Task<IReadOnlyList<ItemResult>?> Read(string blobLocation, CancellationToken cancel) =>
        Task.FromResult(_items.TryGetValue(blobLocation, out var items) ? items : null);
}
