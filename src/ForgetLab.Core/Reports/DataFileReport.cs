namespace ForgetLab.Core.Reports;

/// <summary>
/// The bounds of one data file a spec named, as the runs used it: which role it played, its SHA-256 (of the bytes
/// read), its shape, and how many examples and tokens (the base's tokenizer) went into that role. A file split into a
/// training and a held-out part appears once per part, with the same hash.
/// </summary>
/// <param name="Role">target (trained on), target_eval (held out: the target suite), replay_corpus, distill_corpus, ewc_corpus or pretrain_corpus (what the base was pre-trained on).</param>
/// <param name="File">The path as the spec wrote it.</param>
/// <param name="Shape">prompt_completion, messages or text.</param>
/// <param name="Tokens">Tokens of the role's examples after any truncation, as the model sees them.</param>
public sealed record DataFileReport(string Role, string File, string Sha256, string Shape, int Examples, long Tokens)
{
    /// <summary>Tokens that carry loss (target), or that are scored (target_eval); every token of a corpus.</summary>
    public long LossTokens { get; init; }

    /// <summary>Examples cut to the base's context (<c>target.too_long: truncate</c>).</summary>
    public int Truncated { get; init; }

    /// <summary>Tokens the tokenizer could only map to its unknown token (the built-in word tokenizer on words its world lacks).</summary>
    public long UnknownTokens { get; init; }
}
