namespace ForgetLab.Server.Models;

/// <summary>
/// Where an upload's files go while they stream in: blocks staged against a file's final name, which
/// become a readable file only when committed. Blob storage holds staged blocks uncommitted (nothing
/// lists or reads them), so a refused or broken upload leaves no file behind.
/// </summary>
public interface IModelBlocks
{
    Task Stage(string file, string blockId, ReadOnlyMemory<byte> block, CancellationToken cancel);

    /// <summary>Makes the file the given blocks, in order.</summary>
    Task Commit(string file, IReadOnlyList<string> blockIds, CancellationToken cancel);

    /// <summary>Drops whatever was staged or committed for the file.</summary>
    Task Discard(string file, CancellationToken cancel);
}
