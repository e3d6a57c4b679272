namespace ForgetLab.Core.Specs;

/// <summary>
/// A text corpus a consolidation method draws its general text from (<c>train.replay.corpus</c>,
/// <c>train.distill.corpus</c>, <c>train.ewc.corpus</c>): a JSONL file of <c>{"text"}</c> lines, in place of the
/// base's own pre-training world.
/// </summary>
/// <param name="Path">The file as the spec wrote it (what the report names).</param>
/// <param name="FullPath">Its full path.</param>
public sealed record CorpusRef(string Path, string FullPath);
