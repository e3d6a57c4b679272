using System.Text.Json;
using System.Text.Json.Nodes;

namespace ForgetLab.Core.Tokenizers;

/// <summary>
/// Trains a byte-level BPE <c>tokenizer.json</c> as Hugging Face tokenizers' <c>ByteLevelBPETokenizer.train</c> does
/// (<c>BpeTrainer</c> with <c>initial_alphabet = ByteLevel.alphabet()</c>, no <c>min_frequency</c>, no
/// <c>limit_alphabet</c>, no subword prefix or suffix, no <c>max_token_length</c>): texts are pre-tokenized by
/// GPT-2's ByteLevel (regex split, bytes to the printable alphabet, no prefix space) and counted as words; the
/// special tokens take the first ids, then the alphabet sorted by code point; then, until the vocabulary holds
/// <c>vocabSize</c> entries, the most frequent adjacent pair (ties: the smallest pair of ids, BpeTrainer's
/// <c>Merge</c> order) is merged in every word it occurs in, with BpeTrainer's lazy count updates (a queued pair whose
/// count changed is re-queued with its current count). The file written has GPT-2's layout.
/// </summary>
public sealed class ByteLevelBpeTrainer
{
    public const string EndOfText = "<|endoftext|>";

    private readonly List<string> _idToToken;
    private readonly List<(int A, int B)> _merges;
    private readonly IReadOnlyList<string> _specials;

    private ByteLevelBpeTrainer(List<string> idToToken, List<(int A, int B)> merges, IReadOnlyList<string> specials) =>
        (_idToToken, _merges, _specials) = (idToToken, merges, specials);

    /// <summary>Entries of the trained vocabulary (specials, alphabet and merges); at most the size asked for.</summary>
    public int VocabSize => _idToToken.Count;

    /// <summary>The merges in the order they were learned, as token pairs.</summary>
    public IEnumerable<(string Left, string Right)> Merges => _merges.Select(m => (_idToToken[m.A], _idToToken[m.B]));

    /// <param name="specialTokens">Added first, in order; default GPT-2's single <c>&lt;|endoftext|&gt;</c>.</param>
    public static ByteLevelBpeTrainer Train(IEnumerable<string> texts, int vocabSize, IReadOnlyList<string>? specialTokens = null)
    {
        specialTokens ??= [EndOfText];
        var preTokenizer = Gpt2PreTokenizer();
        var wordCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in texts)
            foreach (var piece in preTokenizer.Apply([new Piece(text, true)]))
                wordCounts[piece.Text] = wordCounts.GetValueOrDefault(piece.Text) + 1;

        var tokenToId = new Dictionary<string, int>(StringComparer.Ordinal);
        var idToToken = new List<string>();
        void Add(string token)
        {
            if (tokenToId.TryAdd(token, idToToken.Count)) idToToken.Add(token);
        }

        foreach (var special in specialTokens) Add(special);
        // BpeTrainer::compute_alphabet: the seen characters and the initial alphabet, sorted by code point.
        var alphabet = new SortedSet<char>(ByteLevelAlphabet.ByteToChar);
        foreach (var word in wordCounts.Keys) alphabet.UnionWith(word);
        foreach (var c in alphabet) Add(c.ToString());

        var words = wordCounts.Keys.Select(w => w.Select(c => tokenToId[c.ToString()]).ToList()).ToList();
        var counts = wordCounts.Values.ToList();

        // BpeTrainer::count_pairs.
        var pairCounts = new Dictionary<(int, int), long>();
        var whereToUpdate = new Dictionary<(int, int), HashSet<int>>();
        for (var i = 0; i < words.Count; i++)
        {
            for (var j = 0; j + 1 < words[i].Count; j++)
            {
                var pair = (words[i][j], words[i][j + 1]);
                pairCounts[pair] = pairCounts.GetValueOrDefault(pair) + counts[i];
                if (counts[i] > 0) Positions(whereToUpdate, pair).Add(i);
            }
        }

        // Max-heap on (count, then the smaller pair first), as BpeTrainer's Merge orders it.
        var queue = new PriorityQueue<Merge, Merge>(MergeOrder.Instance);
        void Flush()
        {
            foreach (var (pair, positions) in whereToUpdate)
            {
                var count = pairCounts[pair];
                if (count > 0)
                {
                    var merge = new Merge(pair, count, positions);
                    queue.Enqueue(merge, merge);
                }
            }
            whereToUpdate.Clear();
        }

        Flush();
        var merges = new List<(int A, int B)>();
        while (idToToken.Count < vocabSize && queue.Count > 0)
        {
            var top = queue.Dequeue();
            var current = pairCounts[top.Pair];
            if (top.Count != current)
            {
                var requeued = top with { Count = current };
                queue.Enqueue(requeued, requeued);
                continue;
            }
            if (top.Count < 1) break;

            var newToken = idToToken[top.Pair.A] + idToToken[top.Pair.B];
            Add(newToken);
            var newId = tokenToId[newToken];
            merges.Add(top.Pair);
            foreach (var i in top.Positions.Order())
            {
                foreach (var (pair, change) in MergeInWord(words[i], top.Pair.A, top.Pair.B, newId))
                {
                    pairCounts[pair] = pairCounts.GetValueOrDefault(pair) + change * counts[i];
                    if (change > 0) Positions(whereToUpdate, pair).Add(i);
                }
            }
            Flush();
        }

        return new ByteLevelBpeTrainer(idToToken, merges, specialTokens);
    }

    /// <summary>The tokenizer.json: GPT-2's ByteLevel pre-tokenizer, post-processor and decoder, the BPE model, the specials as added tokens.</summary>
    public JsonObject ToJson()
    {
        var vocab = new JsonObject();
        for (var id = 0; id < _idToToken.Count; id++) vocab[_idToToken[id]] = id;
        var merges = new JsonArray(_merges.Select(m => (JsonNode)new JsonArray(_idToToken[m.A], _idToToken[m.B])).ToArray());
        var added = new JsonArray(_specials.Select(s => (JsonNode)new JsonObject
        {
            ["id"] = _idToToken.IndexOf(s), ["content"] = s, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
            ["normalized"] = false, ["special"] = true,
        }).ToArray());
        JsonObject ByteLevel(bool addPrefixSpace, bool trimOffsets) => new()
        {
            ["type"] = "ByteLevel", ["add_prefix_space"] = addPrefixSpace, ["trim_offsets"] = trimOffsets, ["use_regex"] = true,
        };
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = ByteLevel(addPrefixSpace: false, trimOffsets: true),
            ["post_processor"] = ByteLevel(addPrefixSpace: true, trimOffsets: false),
            ["decoder"] = ByteLevel(addPrefixSpace: true, trimOffsets: true),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null, ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false,
                ["vocab"] = vocab, ["merges"] = merges,
            },
        };
    }

    public void Write(string path) =>
        File.WriteAllText(path, ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

    private static HashSet<int> Positions(Dictionary<(int, int), HashSet<int>> where, (int, int) pair)
    {
        if (!where.TryGetValue(pair, out var set)) where[pair] = set = [];
        return set;
    }

    /// <summary>tokenizers' <c>Word::merge</c>: replaces each (a, b) left to right and says which neighbouring pairs went and came.</summary>
    private static List<((int, int) Pair, int Change)> MergeInWord(List<int> symbols, int a, int b, int replacement)
    {
        var changes = new List<((int, int), int)>();
        for (var i = 0; i < symbols.Count; i++)
        {
            if (symbols[i] != a || i + 1 >= symbols.Count || symbols[i + 1] != b) continue;
            if (i > 0)
            {
                changes.Add(((symbols[i - 1], a), -1));
                changes.Add(((symbols[i - 1], replacement), 1));
            }
            symbols[i] = replacement;
            symbols.RemoveAt(i + 1);
            if (i < symbols.Count - 1)
            {
                changes.Add(((b, symbols[i + 1]), -1));
                changes.Add(((replacement, symbols[i + 1]), 1));
            }
        }
        return changes;
    }

    private static PreTokenizer Gpt2PreTokenizer()
    {
        // Not disposed: the pre-tokenizer keeps the field to name it in a regex timeout.
        var doc = JsonDocument.Parse("""{"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}""");
        return PreTokenizer.Parse(new JsonField("(trainer)", "pre_tokenizer", doc.RootElement), TokenizerLimits.Default)!;
    }

    private sealed record Merge((int A, int B) Pair, long Count, HashSet<int> Positions);

    private sealed class MergeOrder : IComparer<Merge>
    {
        public static readonly MergeOrder Instance = new();

        // PriorityQueue dequeues the smallest: the highest count first, then the smallest pair.
        public int Compare(Merge? x, Merge? y) =>
            x!.Count != y!.Count ? y.Count.CompareTo(x.Count) : x.Pair.CompareTo(y.Pair);
    }
}
