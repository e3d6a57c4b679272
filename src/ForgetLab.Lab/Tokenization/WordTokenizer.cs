using System.Text.Encodings.Web;
using System.Text.Json;
using ForgetLab.Core.Tokenizers;

namespace ForgetLab.Lab.Tokenization;

/// <summary>
/// A word-level tokenizer: text is split by <see cref="WordSplitter.Words"/>, each word is one id,
/// a word outside the vocabulary is &lt;unk&gt;. Ids are deterministic: the four specials first,
/// then every other token in ordinal order. Persisted as <c>vocab.json</c> (token → id).
/// It has no post-processor: the lab puts EOS before each document itself, so <c>addSpecialTokens</c> adds nothing.
/// The special tokens written in a text are recognised (<c>"&lt;eos&gt; the capital"</c> is EOS, then two words).
/// PAD, BOS and EOS are special (left out when decoding skips specials); &lt;unk&gt; is kept, so a generated
/// unknown word never silently disappears from an answer.
/// </summary>
public sealed class WordTokenizer : ITokenizer
{
    public const string Pad = "<pad>";
    public const string Bos = "<bos>";
    public const string Eos = "<eos>";
    public const string Unk = "<unk>";

    private static readonly string[] Specials = [Pad, Bos, Eos, Unk];

    private readonly Dictionary<string, int> _ids;
    private readonly string[] _tokens;

    private WordTokenizer(string[] tokens)
    {
        _tokens = tokens;
        _ids = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        for (var id = 0; id < tokens.Length; id++)
        {
            if (!_ids.TryAdd(tokens[id], id))
            {
                throw new InvalidDataException($"The vocabulary holds a token twice (ids {_ids[tokens[id]]} and {id}).");
            }
        }

        for (var id = 0; id < Specials.Length; id++)
        {
            if (tokens.Length <= id || tokens[id] != Specials[id])
            {
                throw new InvalidDataException($"A word vocabulary must start with {string.Join(", ", Specials)}; id {id} is not {Specials[id]}.");
            }
        }
    }

    public int VocabSize => _tokens.Length;

    public int PadId => 0;

    public int BosId => 1;

    public int EosId => 2;

    public int UnkId => 3;

    int? ITokenizer.BosId => BosId;

    int? ITokenizer.EosId => EosId;

    int? ITokenizer.PadId => PadId;

    int? ITokenizer.UnkId => UnkId;

    /// <summary>All entries, index = id.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>A vocabulary holding every word of <paramref name="texts"/>.</summary>
    public static WordTokenizer Build(IEnumerable<string> texts)
    {
        var words = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            words.UnionWith(WordSplitter.Words(text));
        }

        words.ExceptWith(Specials);
        return new WordTokenizer([.. Specials, .. words]);
    }

    /// <summary>
    /// The ids of <paramref name="text"/>: a special token written in the text (<c>&lt;eos&gt;</c>, …) is its own id, as
    /// <see cref="ITokenizer.Encode"/> promises; every stretch between them is split into words.
    /// </summary>
    public int[] Encode(string text)
    {
        var ids = new List<int>();
        var start = 0;
        while (NextSpecial(text, start) is var (at, id) && at >= 0)
        {
            AddWords(text[start..at], ids);
            ids.Add(id);
            start = at + Specials[id].Length;
        }

        AddWords(text[start..], ids);
        return [.. ids];
    }

    private void AddWords(string text, List<int> ids)
    {
        foreach (var word in WordSplitter.Words(text))
        {
            ids.Add(_ids.TryGetValue(word, out var id) ? id : UnkId);
        }
    }

    /// <summary>The leftmost special token written in <paramref name="text"/> from <paramref name="start"/> on, or (−1, −1).</summary>
    private static (int At, int Id) NextSpecial(string text, int start)
    {
        var best = (At: -1, Id: -1);
        for (var id = 0; id < Specials.Length; id++)
        {
            var at = text.IndexOf(Specials[id], start, StringComparison.Ordinal);
            if (at >= 0 && (best.At < 0 || at < best.At))
            {
                best = (at, id);
            }
        }

        return best;
    }

    IReadOnlyList<int> ITokenizer.Encode(string text, bool addSpecialTokens) => Encode(text);

    /// <summary>The words of <paramref name="ids"/> joined by spaces; with <paramref name="skipSpecialTokens"/> PAD, BOS and EOS are left out.</summary>
    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = false) =>
        string.Join(' ', ids.Where(id => !skipSpecialTokens || !IsSpecial(id)).Select(id => IdToToken(id) ?? Unk));

    public bool IsSpecial(int id) => id == PadId || id == BosId || id == EosId;

    public int? TokenToId(string token) => _ids.TryGetValue(token, out var id) ? id : null;

    public string? IdToToken(int id) => id >= 0 && id < _tokens.Length ? _tokens[id] : null;

    /// <summary>Writes <c>vocab.json</c>: one JSON object, token → id, in id order.</summary>
    public void Save(string path)
    {
        var vocabulary = new Dictionary<string, int>(_ids.Count, StringComparer.Ordinal);
        for (var id = 0; id < _tokens.Length; id++)
        {
            vocabulary.Add(_tokens[id], id);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, JsonSerializer.Serialize(vocabulary, VocabJson) + "\n");
    }

    public static WordTokenizer Load(string path)
    {
        Dictionary<string, int>? vocabulary;
        try
        {
            vocabulary = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(path), VocabJson);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a JSON object of token to id{(e.LineNumber is { } line ? $" (line {line + 1})" : "")}", e);
        }

        if (vocabulary is null || vocabulary.Count == 0)
        {
            throw new InvalidDataException($"{path} holds no vocabulary.");
        }

        var tokens = new string?[vocabulary.Count];
        foreach (var (token, id) in vocabulary)
        {
            if (id < 0 || id >= tokens.Length || tokens[id] is not null)
            {
                throw new InvalidDataException($"{path}: ids must be 0..{tokens.Length - 1}, each once; a token has {id}.");
            }

            tokens[id] = token;
        }

        return new WordTokenizer(tokens.Select(token => token!).ToArray());
    }

    private static readonly JsonSerializerOptions VocabJson = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
