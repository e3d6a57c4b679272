using System.Text;

namespace ForgetLab.Core.Tokenizers;

/// <summary>
/// A SentencePiece <c>tokenizer.model</c> of the BPE type (Llama-2's), encoded as the sentencepiece library does:
/// the text is normalized (identity rule; <c>remove_extra_whitespaces</c>, <c>add_dummy_prefix</c> and
/// <c>escape_whitespaces</c> as the model's normalizer spec says, spaces becoming <c>▁</c>), split into characters
/// (user-defined pieces kept whole), then the adjacent pair whose concatenation is the highest-scoring piece is merged,
/// leftmost first; a character outside the vocabulary becomes its <c>&lt;0xXX&gt;</c> bytes with
/// <c>byte_fallback</c>, else the unknown piece (a run of them one unknown piece). Control pieces (<c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c>) and the
/// unknown piece are special tokens recognised in the text, as transformers' LlamaTokenizer does; each stretch
/// between them is encoded on its own. BOS is added, EOS not (LlamaTokenizer's defaults) unless
/// <c>tokenizer_config.json</c> says otherwise. Decoding follows the converted Llama tokenizer: <c>▁</c> to space,
/// byte pieces to text, one leading space removed. Unigram, word and char models, and precompiled normalization
/// rules, are refused.
/// </summary>
public sealed class SentencePieceTokenizer : ITokenizer
{
    public const string FileName = "tokenizer.model";

    private const int Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6;
    private const char Space = '\u2581';

    private readonly SentencePieceModelProto _model;
    private readonly Dictionary<string, int> _pieces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _userDefined = new(StringComparer.Ordinal);
    private readonly int _maxUserDefinedLength;
    private readonly int[] _byteIds = new int[256];
    private readonly AddedVocabulary _added;

    private SentencePieceTokenizer(SentencePieceModelProto model, IReadOnlyList<AddedToken> extra, bool splitSpecialTokens)
    {
        _model = model;
        Array.Fill(_byteIds, -1);
        for (var id = 0; id < model.Pieces.Count; id++)
        {
            var (piece, _, type) = model.Pieces[id];
            switch (type)
            {
                case Normal or Unused: _pieces.TryAdd(piece, id); break;
                case UserDefined: _pieces.TryAdd(piece, id); _userDefined.TryAdd(piece, id); break;
                case Byte when piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal):
                    _byteIds[Convert.ToInt32(piece.Substring(3, 2), 16)] = id; break;
            }
        }
        _maxUserDefinedLength = _userDefined.Count == 0 ? 0 : _userDefined.Keys.Max(k => k.Length);
        var specials = new List<AddedToken>();
        for (var id = 0; id < model.Pieces.Count; id++)
            if (model.Pieces[id].Type is Control or Unknown)
                specials.Add(new AddedToken(id, model.Pieces[id].Piece, false, false, false, false, true));
        var known = specials.Select(s => s.Id).ToHashSet();
        _added = new AddedVocabulary(specials.Concat(extra.Where(e => !known.Contains(e.Id))).ToList(), null);
        SplitSpecialTokens = splitSpecialTokens;
    }

    public bool SplitSpecialTokens { get; }

    public int VocabSize => Math.Max(_model.Pieces.Count, _added.Tokens.Count == 0 ? 0 : _added.Tokens.Max(t => t.Id) + 1);

    public int? BosId => _model.BosId;

    public int? EosId => _model.EosId;

    public int? PadId => _model.PadId;

    public int? UnkId => _model.UnkId;

    public static SentencePieceTokenizer Load(string path, TokenizerLimits? limits = null)
    {
        limits ??= TokenizerLimits.Default;
        var info = new FileInfo(path);
        if (!info.Exists) throw new TokenizerFormatException(FileName, "", "the file does not exist");
        if (info.Length > limits.MaxFileBytes) throw new TokenizerFormatException(FileName, "", $"the file is {info.Length} bytes, over the limit of {limits.MaxFileBytes}");
        return Parse(File.ReadAllBytes(path), limits);
    }

    public static SentencePieceTokenizer Parse(byte[] bytes, TokenizerLimits? limits = null)
    {
        limits ??= TokenizerLimits.Default;
        var model = SentencePieceModelProto.Parse(bytes, limits);
        var specials = model.Pieces.Where(p => p.Type is Control or Unknown).Select(p => new AddedToken(0, p.Piece, false, false, false, false, true)).ToList();
        AddedVocabulary.CheckSize(specials, limits, FileName, "pieces");
        return new SentencePieceTokenizer(model, [], false);
    }

    internal SentencePieceTokenizer WithAddedTokens(IReadOnlyList<AddedToken> extra, bool splitSpecialTokens) => new(_model, extra, splitSpecialTokens);

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        if (addSpecialTokens && BosId is { } bos) ids.Add(bos);
        foreach (var segment in _added.SplitRaw(new Segment(text, null, true), SplitSpecialTokens))
        {
            if (segment.TokenId is { } id) ids.Add(id);
            else EncodePlain(segment.Text, ids);
        }
        return ids;
    }

    private string Normalize(string text)
    {
        if (_model.RemoveExtraWhitespaces)
        {
            var sb = new StringBuilder(text.Length);
            foreach (var c in text.Trim(' '))
                if (c != ' ' || sb.Length == 0 || sb[^1] != ' ') sb.Append(c);
            text = sb.ToString();
        }
        if (text.Length == 0) return text;
        if (_model.AddDummyPrefix) text = " " + text;
        return _model.EscapeWhitespaces ? text.Replace(' ', Space) : text;
    }

    private void EncodePlain(string raw, List<int> output)
    {
        var text = Normalize(raw);
        if (text.Length == 0) return;

        // Initial symbols: user-defined pieces (longest first, never merged) or single characters.
        var symbols = new List<(string Piece, bool Frozen)>();
        for (var i = 0; i < text.Length;)
        {
            var length = 0;
            for (var len = Math.Min(_maxUserDefinedLength, text.Length - i); len > 0 && length == 0; len--)
                if (_userDefined.ContainsKey(text.Substring(i, len))) length = len;
            var frozen = length > 0;
            if (!frozen) length = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            symbols.Add((text.Substring(i, length), frozen));
            i += length;
        }

        var n = symbols.Count;
        var piece = symbols.Select(s => s.Piece).ToArray();
        var next = new int[n];
        var prev = new int[n];
        for (var i = 0; i < n; i++) { prev[i] = i - 1; next[i] = i + 1 < n ? i + 1 : -1; }
        // sentencepiece's agenda: the highest score first, then the leftmost.
        var agenda = new PriorityQueue<(int Left, int Right, string Merged), (float NegScore, int Left)>();
        void MaybeAdd(int left, int right)
        {
            if (left < 0 || right < 0 || symbols[left].Frozen || symbols[right].Frozen) return;
            var merged = piece[left] + piece[right];
            if (!_pieces.TryGetValue(merged, out var id)) return;
            agenda.Enqueue((left, right, merged), (-_model.Pieces[id].Score, left));
        }
        for (var i = 1; i < n; i++) MaybeAdd(i - 1, i);
        while (agenda.TryDequeue(out var top, out _))
        {
            if (piece[top.Left].Length == 0 || piece[top.Right].Length == 0 || piece[top.Left].Length + piece[top.Right].Length != top.Merged.Length) continue;
            piece[top.Left] = top.Merged;
            piece[top.Right] = "";
            next[top.Left] = next[top.Right];
            if (next[top.Right] >= 0) prev[next[top.Right]] = top.Left;
            MaybeAdd(prev[top.Left], top.Left);
            MaybeAdd(top.Left, next[top.Left]);
        }

        // sentencepiece merges a run of unknown pieces into one (PopulateSentencePieceText).
        var first = output.Count;
        for (var i = 0; i >= 0; i = next[i])
        {
            if (_pieces.TryGetValue(piece[i], out var id) && _model.Pieces[id].Type != Unused) { output.Add(id); continue; }
            if (_model.ByteFallback)
            {
                var bytes = Encoding.UTF8.GetBytes(piece[i]);
                if (bytes.All(b => _byteIds[b] >= 0)) { foreach (var b in bytes) output.Add(_byteIds[b]); continue; }
            }
            if (_model.UnkId is { } unk && (output.Count == first || output[^1] != unk)) output.Add(unk);
        }
    }

    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = false)
    {
        // As the converted Llama tokenizer.json decodes: Replace(▁ → space), ByteFallback, Fuse, Strip(1 leading space).
        var sb = new StringBuilder();
        var bytes = new List<byte>();
        void Flush()
        {
            if (bytes.Count == 0) return;
            try { sb.Append(new UTF8Encoding(false, true).GetString(bytes.ToArray())); }
            catch (DecoderFallbackException) { sb.Append('\uFFFD', bytes.Count); }
            bytes.Clear();
        }
        foreach (var id in ids)
        {
            if (_added.ById.TryGetValue(id, out var added))
            {
                if (skipSpecialTokens && added.Special) continue;
                Flush();
                sb.Append(added.Content.Replace(Space, ' '));
                continue;
            }
            if (id < 0 || id >= _model.Pieces.Count) continue;
            var (text, _, type) = _model.Pieces[id];
            if (type == Byte && text.Length == 6) { bytes.Add(Convert.ToByte(text.Substring(3, 2), 16)); continue; }
            Flush();
            sb.Append(text.Replace(Space, ' '));
        }
        Flush();
        var result = sb.ToString();
        return _model.AddDummyPrefix && result.StartsWith(' ') ? result[1..] : result;
    }

    public int? TokenToId(string token)
    {
        if (_added.TokenToId(token) is { } added) return added;
        if (_pieces.TryGetValue(token, out var id)) return id;
        for (var b = 0; b < 256; b++)
            if (_byteIds[b] >= 0 && _model.Pieces[_byteIds[b]].Piece == token) return _byteIds[b];
        return null;
    }

    public string? IdToToken(int id) => _added.ById.TryGetValue(id, out var t) ? t.Content : id >= 0 && id < _model.Pieces.Count ? _model.Pieces[id].Piece : null;

    public bool IsSpecial(int id) => _added.ById.TryGetValue(id, out var t) && t.Special;
}
