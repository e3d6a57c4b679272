namespace ForgetLab.Core.Tokenizers;

/// <summary>
/// Bounds that keep a hostile tokenizer (it arrives with an uploaded model) from exhausting memory, stack or CPU.
/// The real files are well inside them: Qwen2's <c>tokenizer.json</c> is 11 MB with 151 643 entries and 151 387
/// merges, Llama-3's has 280 147 merges.
/// </summary>
/// <param name="MaxFileBytes">Largest tokenizer or config file read.</param>
/// <param name="MaxJsonDepth">Deepest JSON nesting accepted (real files nest six levels).</param>
/// <param name="MaxVocabulary">Most vocabulary entries (and the highest id + 1).</param>
/// <param name="MaxMerges">Most BPE merges.</param>
/// <param name="MaxAddedTokens">Most added tokens.</param>
/// <param name="MaxTokenChars">Longest vocabulary entry or added token.</param>
/// <param name="MaxAddedTokenChars">Most characters of all added tokens together (they are matched through a trie
/// of that many nodes; Llama-3's 256 added tokens hold about 7,000).</param>
/// <param name="MaxPatternChars">Longest pre-tokenizer or normalizer pattern.</param>
/// <param name="MaxComponents">Most normalizers, pre-tokenizers, processors or decoders in one file.</param>
/// <param name="RegexTimeout">Longest one regular-expression match may run before the encode is abandoned.</param>
public sealed record TokenizerLimits(
    long MaxFileBytes = 64L * 1024 * 1024,
    int MaxJsonDepth = 32,
    int MaxVocabulary = 1 << 21,
    int MaxMerges = 1 << 21,
    int MaxAddedTokens = 1 << 17,
    int MaxTokenChars = 4096,
    int MaxAddedTokenChars = 1 << 20,
    int MaxPatternChars = 4096,
    int MaxComponents = 64,
    TimeSpan RegexTimeout = default)
{
    public static TokenizerLimits Default { get; } = new();

    internal TimeSpan MatchTimeout => RegexTimeout == default ? TimeSpan.FromSeconds(2) : RegexTimeout;
}
