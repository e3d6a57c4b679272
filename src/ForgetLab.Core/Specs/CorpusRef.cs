namespace ForgetLab.Core.Specs;

/// <summary>
/// A text corpus a consolidation method draws its general text from (<c>train.replay.corpus</c>,
/// <c>train.distill.corpus</c>, <c>train.ewc.corpus</c>): a JSONL file of <c>{"text"}</c> lines, in place of the
/// base's own pre-training world.
/// </summary>
/// <param name="Path">The file as the spec wrote it (what the report names).</param>
/// <param name="FullPath">Its full path.</param>
public sealed record CorpusRef(string Path, string FullPath)
{
    /// <summary>SHA-256 of the file's bytes when the spec was read, for a pre-training corpus (it enters the base's <see cref="SpecHash"/>); null otherwise.</summary>
    public string? Sha256 { get; init; }

    /// <summary>The registered data set it comes from (<c>{ data_ref: NAME }</c>), or null for a path.</summary>
    public DataRef? Ref { get; init; }
}
