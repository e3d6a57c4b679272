namespace ForgetLab.Lab.Tokenization;

/// <summary>
/// Any lab tokenizer (today the built-in <see cref="WordTokenizer"/>) behind Core's
/// <see cref="ForgetLab.Core.Tokenizers.ITokenizer"/>, the interface real tokenizer folders load into, so code that
/// checks or describes a tokenizer (vocabulary size against a model, special ids) takes either kind. The word-level
/// vocabulary has no post-processor: the lab puts EOS before each document itself, so <c>addSpecialTokens</c> adds
/// nothing; PAD, BOS, EOS and UNK are its special tokens.
/// </summary>
public sealed class CoreTokenizerAdapter(ITokenizer tokenizer) : ForgetLab.Core.Tokenizers.ITokenizer
{
    public int VocabSize => tokenizer.VocabSize;

    public int? BosId => tokenizer.BosId;

    public int? EosId => tokenizer.EosId;

    public int? PadId => tokenizer.PadId;

    public int? UnkId => tokenizer.UnkId;

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true) => tokenizer.Encode(text);

    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = false) =>
        skipSpecialTokens
            ? string.Join(' ', ids.Where(id => !IsSpecial(id)).Select(id => tokenizer.IdToToken(id) ?? WordTokenizer.Unk))
            : string.Join(' ', ids.Select(id => tokenizer.IdToToken(id) ?? WordTokenizer.Unk));

    public int? TokenToId(string token) => tokenizer.TokenToId(token);

    public string? IdToToken(int id) => tokenizer.IdToToken(id);

    public bool IsSpecial(int id) => id == tokenizer.PadId || id == tokenizer.BosId || id == tokenizer.EosId || id == tokenizer.UnkId;
}
