namespace ForgetLab.Core.Tokenizers;

/// <summary>
/// A tokenizer as Hugging Face's <c>tokenizers</c> and transformers expose it: text to ids and back, special tokens
/// recognised inline, the post-processor's BOS/EOS added only when asked. Everything here is plain .NET (no
/// TorchSharp), so the server can check an uploaded tokenizer against a model's <c>vocab_size</c>.
/// </summary>
public interface ITokenizer
{
    /// <summary>One more than the highest id the tokenizer can produce (model vocabulary and added tokens).</summary>
    int VocabSize { get; }

    int? BosId { get; }

    int? EosId { get; }

    int? PadId { get; }

    int? UnkId { get; }

    /// <summary>
    /// The ids of <paramref name="text"/>. Special tokens written in the text are recognised either way; with
    /// <paramref name="addSpecialTokens"/> the post-processor also adds its template's tokens (e.g. BOS), as
    /// transformers' <c>encode(text, add_special_tokens=True)</c> does. A file's pattern that runs past
    /// <see cref="TokenizerLimits.RegexTimeout"/> on the text throws a <see cref="TokenizerFormatException"/> naming
    /// the file and the pattern's field.
    /// </summary>
    IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true);

    /// <summary>The text of <paramref name="ids"/>, as transformers' <c>decode(ids, skip_special_tokens)</c> gives it.</summary>
    string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = false);

    /// <summary>The id of one vocabulary entry or added token, or null when it has none.</summary>
    int? TokenToId(string token);

    /// <summary>The vocabulary entry of <paramref name="id"/>, or null when no entry has that id.</summary>
    string? IdToToken(int id);

    /// <summary>Whether <paramref name="id"/> is a special token (left out by <c>skip_special_tokens</c>).</summary>
    bool IsSpecial(int id);
}
