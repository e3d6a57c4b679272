namespace ForgetLab.Core.Specs;

/// <summary>
/// The tokenizer of a built-in world's base (<c>base.tokenizer</c>): the world's words, or a subword
/// tokenizer trained on the world's text with <see cref="VocabSize"/> entries (special tokens included), or an existing
/// <c>tokenizer.json</c> (<see cref="File"/>).
/// </summary>
public sealed record TokenizerSpec
{
    public const int DefaultVocabSize = 2000;

    /// <summary>Smallest subword vocabulary: a byte-level BPE needs its 256 bytes and specials, SentencePiece its characters.</summary>
    public const int MinVocabSize = 300;

    public const int MaxVocabSize = 65536;

    public TokenizerKind Kind { get; init; } = TokenizerKind.Word;

    /// <summary>Entries of a trained tokenizer. Default 2000; 300..65536; not given for <see cref="TokenizerKind.Word"/> (the world's words decide it).</summary>
    public int VocabSize { get; init; } = DefaultVocabSize;

    public bool IsWord => Kind == TokenizerKind.Word;

    /// <summary>The <c>tokenizer.json</c> of <see cref="TokenizerKind.File"/>: as the spec wrote it, its full path and the SHA-256 of its bytes (and of the config beside it), which enters the base's hash.</summary>
    public CorpusRef? File { get; init; }
}
