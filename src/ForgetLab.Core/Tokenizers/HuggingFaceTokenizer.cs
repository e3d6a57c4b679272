using System.Text.Json;

namespace ForgetLab.Core.Tokenizers;

/// <summary>
/// A <c>tokenizer.json</c> run with Hugging Face <c>tokenizers</c>' pipeline: added tokens are cut out of the raw
/// text (those with <c>normalized: false</c>), each remaining stretch is normalized and searched for the other added
/// tokens, pre-tokenized, and each piece encoded by the BPE model; the post-processor adds its template when asked.
/// Decoding maps ids to tokens (special ones dropped with <c>skip_special_tokens</c>) and runs the decoder.
/// Every component and field the file names is honoured or refused with a <see cref="TokenizerFormatException"/>.
/// </summary>
public sealed class HuggingFaceTokenizer : ITokenizer
{
    public const string FileName = "tokenizer.json";

    private readonly Normalizer? _normalizer;
    private readonly PreTokenizer? _preTokenizer;
    private readonly BpeModel _model;
    private readonly AddedVocabulary _added;
    private readonly PostProcessor? _postProcessor;
    private readonly Decoder? _decoder;

    private HuggingFaceTokenizer(Normalizer? normalizer, PreTokenizer? preTokenizer, BpeModel model, AddedVocabulary added,
        PostProcessor? postProcessor, Decoder? decoder, int? unkId)
    {
        UnkId = unkId;
        _normalizer = normalizer;
        _preTokenizer = preTokenizer;
        _model = model;
        _added = added;
        _postProcessor = postProcessor;
        _decoder = decoder;
        VocabSize = Math.Max(model.Size, added.Tokens.Count == 0 ? 0 : added.Tokens.Max(t => t.Id) + 1);
    }

    /// <summary>The added tokens, in file order.</summary>
    public IReadOnlyList<AddedToken> AddedTokens => _added.Tokens;

    /// <summary>Whether special tokens written in the text are tokenized as plain text (transformers' <c>split_special_tokens</c>).</summary>
    public bool SplitSpecialTokens { get; init; }

    public int VocabSize { get; }

    public int? BosId => null;

    public int? EosId => null;

    public int? PadId => null;

    public int? UnkId { get; }

    public static HuggingFaceTokenizer Load(string path, TokenizerLimits? limits = null)
    {
        limits ??= TokenizerLimits.Default;
        using var doc = JsonField.Parse(path, FileName, limits);
        return Parse(new JsonField(FileName, "", doc.RootElement), limits);
    }

    public static HuggingFaceTokenizer Parse(byte[] json, TokenizerLimits? limits = null)
    {
        limits ??= TokenizerLimits.Default;
        using var doc = JsonField.Parse(json, FileName, limits);
        return Parse(new JsonField(FileName, "", doc.RootElement), limits);
    }

    private static HuggingFaceTokenizer Parse(JsonField root, TokenizerLimits limits)
    {
        root.Object();
        if (!root.Child("truncation").IsNull)
            throw root.Child("truncation").Error("ForgetLab does not truncate at encode time; the field must be null");
        if (!root.Child("padding").IsNull)
            throw root.Child("padding").Error("ForgetLab does not pad at encode time; the field must be null");
        var normalizer = Normalizer.Parse(root.Child("normalizer"), limits);
        var preTokenizer = PreTokenizer.Parse(root.Child("pre_tokenizer"), limits);
        var model = BpeModel.Parse(root.Child("model"), limits);
        var added = new List<AddedToken>();
        if (!root.Child("added_tokens").IsNull)
            foreach (var item in root.Child("added_tokens").Items(limits.MaxAddedTokens))
                added.Add(AddedToken.Parse(item, null, limits));
        AddedVocabulary.CheckSize(added, limits, FileName, "added_tokens");
        var postProcessor = PostProcessor.Parse(root.Child("post_processor"), limits);
        var decoder = Decoder.Parse(root.Child("decoder"), limits);
        var unkId = root.Child("model").Child("unk_token").OptionalString() is { } unk ? model.TokenToId(unk) : null;
        return new HuggingFaceTokenizer(normalizer, preTokenizer, model, new AddedVocabulary(added, normalizer), postProcessor, decoder, unkId);
    }

    /// <summary>A copy that adds or leaves out the extra added tokens of <c>tokenizer_config.json</c>'s <c>added_tokens_decoder</c>.</summary>
    internal HuggingFaceTokenizer WithAddedTokens(IReadOnlyList<AddedToken> extra, bool splitSpecialTokens)
    {
        var known = _added.Tokens.Select(t => t.Id).ToHashSet();
        var all = _added.Tokens.Concat(extra.Where(t => !known.Contains(t.Id))).ToList();
        return new HuggingFaceTokenizer(_normalizer, _preTokenizer, _model, new AddedVocabulary(all, _normalizer), _postProcessor, _decoder, UnkId)
        {
            SplitSpecialTokens = splitSpecialTokens,
        };
    }

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        foreach (var raw in _added.SplitRaw(new Segment(text, null, true), SplitSpecialTokens))
        {
            if (raw.TokenId is { } rawId) { ids.Add(rawId); continue; }
            var normalized = raw with { Text = _normalizer?.Apply(raw.Text) ?? raw.Text };
            foreach (var segment in _added.SplitNormalized(normalized, SplitSpecialTokens))
            {
                if (segment.TokenId is { } id) { ids.Add(id); continue; }
                if (segment.Text.Length == 0) continue;
                List<Piece> pieces = [new Piece(segment.Text, segment.AtStart)];
                if (_preTokenizer is not null) pieces = _preTokenizer.Apply(pieces);
                foreach (var piece in pieces) _model.Tokenize(piece.Text, ids);
            }
        }
        return addSpecialTokens && _postProcessor is not null ? _postProcessor.Apply(ids) : ids;
    }

    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var tokens = new List<string>(ids.Count);
        foreach (var id in ids)
        {
            // tokenizers drops ids it has no token for.
            if (_added.ById.TryGetValue(id, out var added))
            {
                if (!(skipSpecialTokens && added.Special)) tokens.Add(added.Content);
            }
            else if (_model.IdToToken(id) is { } token)
            {
                if (!(skipSpecialTokens && _added.SpecialContents.Contains(token))) tokens.Add(token);
            }
        }
        return _decoder is null ? string.Join(' ', tokens) : string.Concat(_decoder.Apply(tokens));
    }

    public int? TokenToId(string token) => _added.TokenToId(token) ?? _model.TokenToId(token);

    public string? IdToToken(int id) => _added.ById.TryGetValue(id, out var t) ? t.Content : _model.IdToToken(id);

    public bool IsSpecial(int id) => _added.ById.TryGetValue(id, out var t) ? t.Special : IdToToken(id) is { } s && _added.SpecialContents.Contains(s);
}
