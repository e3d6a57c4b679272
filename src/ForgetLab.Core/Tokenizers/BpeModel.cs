using System.Text;

namespace ForgetLab.Core.Tokenizers;

/// <summary>
/// <c>tokenizer.json</c>'s <c>model</c> of type BPE, as Hugging Face's <c>tokenizers</c> runs it: a word starts as
/// its characters (with <c>continuing_subword_prefix</c> / <c>end_of_word_suffix</c>), a character outside the
/// vocabulary becomes its <c>&lt;0xXX&gt;</c> bytes (<c>byte_fallback</c>) or the unknown token (fused with
/// <c>fuse_unk</c>), then the adjacent pair of lowest merge rank is merged, leftmost first, until none is left.
/// With <c>ignore_merges</c> (Llama-3) a word that is itself in the vocabulary is one token. Merges come as
/// <c>"a b"</c> strings or <c>["a", "b"]</c> pairs. Dropout is refused (it makes encoding random).
/// </summary>
internal sealed class BpeModel
{
    private readonly Dictionary<string, int> _vocab;
    private readonly string?[] _tokens;
    private readonly Dictionary<long, (int Rank, int NewId)> _merges;
    private readonly string? _prefix;
    private readonly string? _suffix;
    private readonly int? _unkId;
    private readonly bool _fuseUnk;
    private readonly bool _byteFallback;
    private readonly bool _ignoreMerges;
    private readonly Dictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly Lock _cacheLock = new();

    private const int CacheCapacity = 10_000;
    private const int CacheMaxWordChars = 256;

    private BpeModel(Dictionary<string, int> vocab, string?[] tokens, Dictionary<long, (int, int)> merges, string? prefix, string? suffix,
        int? unkId, bool fuseUnk, bool byteFallback, bool ignoreMerges)
    {
        _vocab = vocab;
        _tokens = tokens;
        _merges = merges;
        _prefix = prefix;
        _suffix = suffix;
        _unkId = unkId;
        _fuseUnk = fuseUnk;
        _byteFallback = byteFallback;
        _ignoreMerges = ignoreMerges;
    }

    public int Size => _tokens.Length;

    public int? TokenToId(string token) => _vocab.TryGetValue(token, out var id) ? id : null;

    public string? IdToToken(int id) => id >= 0 && id < _tokens.Length ? _tokens[id] : null;

    public static BpeModel Parse(JsonField model, TokenizerLimits limits)
    {
        model.Object();
        var type = model.Child("type").OptionalString() ?? "BPE";
        if (type != "BPE")
            throw model.Child("type").Error($"model {JsonField.Quote(type)} is not supported (ForgetLab reads BPE models; WordPiece, WordLevel and Unigram are refused)");
        if (model.Child("dropout").OptionalNumber() is { } dropout && dropout != 0)
            throw model.Child("dropout").Error("BPE dropout makes encoding random; ForgetLab refuses it");

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var maxId = -1;
        foreach (var (name, value) in model.Child("vocab").Properties(limits.MaxVocabulary, nameInPath: false))
        {
            if (name.Length > limits.MaxTokenChars) throw value.Error($"a vocabulary entry longer than {limits.MaxTokenChars} characters");
            var id = value.Int(0, limits.MaxVocabulary - 1);
            vocab[name] = id;
            maxId = Math.Max(maxId, id);
        }
        var tokens = new string?[maxId + 1];
        foreach (var (token, id) in vocab)
        {
            if (tokens[id] is { } other) throw model.Child("vocab").Error($"id {id} is given to two tokens");
            tokens[id] = token;
        }

        var prefix = NullIfEmpty(model.Child("continuing_subword_prefix").OptionalString());
        var suffix = NullIfEmpty(model.Child("end_of_word_suffix").OptionalString());
        var mergesField = model.Child("merges");
        var merges = new Dictionary<long, (int, int)>(mergesField.Kind == System.Text.Json.JsonValueKind.Array ? Math.Min(mergesField.Value.GetArrayLength(), limits.MaxMerges) : 0);
        var rank = 0;
        foreach (var merge in mergesField.Items(limits.MaxMerges))
        {
            var (a, b) = MergePair(merge);
            var aId = vocab.TryGetValue(a, out var x) ? x : throw merge.Error("its first token is not in the vocabulary");
            var bId = vocab.TryGetValue(b, out var y) ? y : throw merge.Error("its second token is not in the vocabulary");
            var merged = a + (prefix is not null && b.StartsWith(prefix, StringComparison.Ordinal) ? b[prefix.Length..] : b);
            var newId = vocab.TryGetValue(merged, out var z) ? z : throw merge.Error("the merged token is not in the vocabulary");
            merges[Key(aId, bId)] = (rank++, newId);
        }

        int? unkId = null;
        if (model.Child("unk_token").OptionalString() is { } unk)
            unkId = vocab.TryGetValue(unk, out var u) ? u : throw model.Child("unk_token").Error("names a token that is not in the vocabulary");
        return new BpeModel(vocab, tokens, merges, prefix, suffix, unkId,
            model.Child("fuse_unk").Bool(false), model.Child("byte_fallback").Bool(false), model.Child("ignore_merges").Bool(false));
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static (string, string) MergePair(JsonField merge)
    {
        if (merge.Kind == System.Text.Json.JsonValueKind.Array)
        {
            var pair = merge.Value;
            if (pair.GetArrayLength() != 2 || pair[0].ValueKind != System.Text.Json.JsonValueKind.String || pair[1].ValueKind != System.Text.Json.JsonValueKind.String)
                throw merge.Error("a merge pair must be two strings");
            return (pair[0].GetString()!, pair[1].GetString()!);
        }
        var line = merge.String();
        var space = line.IndexOf(' ');
        if (space <= 0 || space == line.Length - 1 || line.IndexOf(' ', space + 1) >= 0)
            throw merge.Error("not two tokens separated by one space");
        return (line[..space], line[(space + 1)..]);
    }

    private static long Key(int a, int b) => ((long)a << 32) | (uint)b;

    /// <summary>The ids of one pre-tokenized word.</summary>
    public void Tokenize(string word, List<int> output)
    {
        if (word.Length == 0) return;
        if (_ignoreMerges && _vocab.TryGetValue(word, out var whole))
        {
            output.Add(whole);
            return;
        }
        if (word.Length <= CacheMaxWordChars)
        {
            lock (_cacheLock)
            {
                if (_cache.TryGetValue(word, out var hit))
                {
                    output.AddRange(hit);
                    return;
                }
            }
        }
        var ids = Merge(word);
        output.AddRange(ids);
        if (word.Length <= CacheMaxWordChars)
        {
            lock (_cacheLock)
            {
                if (_cache.Count < CacheCapacity) _cache[word] = ids;
            }
        }
    }

    private int[] Merge(string word)
    {
        // The initial symbols: one per character (a surrogate pair is one character).
        var symbols = new List<int>(word.Length);
        int? pendingUnk = null;
        for (var i = 0; i < word.Length; i++)
        {
            var len = char.IsHighSurrogate(word[i]) && i + 1 < word.Length && char.IsLowSurrogate(word[i + 1]) ? 2 : 1;
            var s = word.Substring(i, len);
            var isFirst = i == 0;
            i += len - 1;
            var isLast = i == word.Length - 1;
            if (!isFirst && _prefix is not null) s = _prefix + s;
            if (isLast && _suffix is not null) s += _suffix;

            if (_vocab.TryGetValue(s, out var id))
            {
                if (pendingUnk is { } u) { symbols.Add(u); pendingUnk = null; }
                symbols.Add(id);
                continue;
            }
            if (_byteFallback && ByteIds(s) is { } bytes)
            {
                // tokenizers adds byte tokens without flushing a pending unknown token first.
                symbols.AddRange(bytes);
                continue;
            }
            if (_unkId is { } unk)
            {
                if (pendingUnk is { } p && !_fuseUnk) symbols.Add(p);
                pendingUnk = unk;
            }
        }
        if (pendingUnk is { } last) symbols.Add(last);
        return MergeAll(symbols);
    }

    private List<int>? ByteIds(string s)
    {
        var result = new List<int>();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            if (!_vocab.TryGetValue($"<0x{b:X2}>", out var id)) return null;
            result.Add(id);
        }
        return result;
    }

    // tokenizers' Word::merge_all: a min-heap of (rank, position); stale entries are skipped when popped.
    private int[] MergeAll(List<int> ids)
    {
        var n = ids.Count;
        if (n < 2) return ids.ToArray();
        var c = ids.ToArray();
        var prev = new int[n];
        var next = new int[n];
        var alive = new bool[n];
        for (var i = 0; i < n; i++) { prev[i] = i - 1; next[i] = i + 1 < n ? i + 1 : -1; alive[i] = true; }
        var queue = new PriorityQueue<(int Pos, int NewId), (int Rank, int Pos)>();
        for (var i = 0; i + 1 < n; i++)
            if (_merges.TryGetValue(Key(c[i], c[i + 1]), out var m)) queue.Enqueue((i, m.NewId), (m.Rank, i));

        while (queue.TryDequeue(out var top, out _))
        {
            var pos = top.Pos;
            if (!alive[pos] || next[pos] == -1) continue;
            var right = next[pos];
            if (!_merges.TryGetValue(Key(c[pos], c[right]), out var current) || current.NewId != top.NewId) continue;
            c[pos] = top.NewId;
            alive[right] = false;
            next[pos] = next[right];
            if (next[right] != -1) prev[next[right]] = pos;
            if (prev[pos] >= 0 && _merges.TryGetValue(Key(c[prev[pos]], c[pos]), out var left))
                queue.Enqueue((prev[pos], left.NewId), (left.Rank, prev[pos]));
            if (next[pos] != -1 && _merges.TryGetValue(Key(c[pos], c[next[pos]]), out var after))
                queue.Enqueue((pos, after.NewId), (after.Rank, pos));
        }

        var result = new List<int>(n);
        for (var i = 0; i != -1; i = next[i]) result.Add(c[i]);
        return result.ToArray();
    }
}
