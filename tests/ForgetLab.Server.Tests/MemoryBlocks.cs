using ForgetLab.Server.Models;

namespace ForgetLab.Server.Tests;

/// <summary>An in-memory <see cref="IModelBlocks"/> for unit tests of the upload path: it counts what is staged and committed, keeping no bytes.</summary>
internal sealed class MemoryBlocks : IModelBlocks
{
    private readonly Dictionary<string, Dictionary<string, int>> _staged = new(StringComparer.Ordinal);

    public Dictionary<string, long> Committed { get; } = new(StringComparer.Ordinal);

    /// <summary>Files with staged blocks or committed bytes: what the store holds for this upload.</summary>
    public IEnumerable<string> Held => _staged.Where(s => s.Value.Count > 0).Select(s => s.Key).Union(Committed.Keys);

    public long StagedBytes => _staged.Values.Sum(f => f.Values.Sum(v => (long)v));

    public Task Stage(string file, string blockId, ReadOnlyMemory<byte> block, CancellationToken cancel)
    {
        if (!_staged.TryGetValue(file, out var blocks)) _staged[file] = blocks = [];
        blocks[blockId] = block.Length;
        return Task.CompletedTask;
    }

    public Task Commit(string file, IReadOnlyList<string> blockIds, CancellationToken cancel)
    {
        var blocks = _staged.GetValueOrDefault(file) ?? [];
        Committed[file] = blockIds.Sum(id => (long)blocks[id]);
        _staged.Remove(file);
        return Task.CompletedTask;
    }

    public Task Discard(string file, CancellationToken cancel)
    {
        _staged.Remove(file);
        Committed.Remove(file);
        return Task.CompletedTask;
    }
}
