using System.Globalization;

namespace ForgetLab.Core.Tokenizers;

/// <summary>A stretch of the input: plain text still to tokenize, or an added token already matched.</summary>
internal readonly record struct Segment(string Text, int? TokenId, bool AtStart);

/// <summary>
/// Finds added tokens in text as tokenizers' <c>AddedVocabulary::find_matches</c> does: leftmost-longest matches,
/// a <c>single_word</c> token discarded when a word character touches it, <c>lstrip</c>/<c>rstrip</c> widening the
/// match over adjacent whitespace. Tokens with <c>normalized: false</c> are matched in the raw text, the others in
/// each piece after normalization. With <c>encodeSpecialTokens</c> (transformers' <c>split_special_tokens</c>)
/// special tokens are not matched at all.
/// </summary>
internal sealed class AddedVocabulary
{
    private readonly Trie _raw = new();
    private readonly Trie _normalized = new();
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    /// <summary>Refuses added tokens whose characters together pass the limit (each costs a trie node).</summary>
    public static void CheckSize(IReadOnlyList<AddedToken> tokens, TokenizerLimits limits, string file, string field)
    {
        var chars = tokens.Sum(t => (long)t.Content.Length);
        if (chars > limits.MaxAddedTokenChars)
            throw new TokenizerFormatException(file, field, $"the added tokens hold {chars} characters in all, over the limit of {limits.MaxAddedTokenChars}");
    }

    public AddedVocabulary(IReadOnlyList<AddedToken> tokens, Normalizer? normalizer)
    {
        Tokens = tokens;
        ById = new Dictionary<int, AddedToken>();
        foreach (var t in tokens) ById[t.Id] = t;
        foreach (var t in tokens)
        {
            if (t.Content.Length == 0) continue;
            _ids[t.Content] = t.Id;
            if (t.Normalized) _normalized.Add(normalizer?.Apply(t.Content) ?? t.Content, t);
            else _raw.Add(t.Content, t);
        }
        SpecialContents = tokens.Where(t => t.Special).Select(t => t.Content).ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlyList<AddedToken> Tokens { get; }

    public Dictionary<int, AddedToken> ById { get; }

    public HashSet<string> SpecialContents { get; }

    public int? TokenToId(string content) => _ids.TryGetValue(content, out var id) ? id : null;

    public List<Segment> SplitRaw(Segment segment, bool encodeSpecialTokens) => Split(segment, _raw, encodeSpecialTokens);

    public List<Segment> SplitNormalized(Segment segment, bool encodeSpecialTokens) => Split(segment, _normalized, encodeSpecialTokens);

    private static List<Segment> Split(Segment segment, Trie tokens, bool encodeSpecialTokens)
    {
        var sentence = segment.Text;
        if (tokens.IsEmpty || sentence.Length == 0) return [segment];
        var result = new List<Segment>();
        var startOffset = 0;
        var i = 0;
        while (i < sentence.Length)
        {
            // Leftmost-longest: the longest token starting at the first position where any starts.
            var (found, foundLength) = tokens.LongestAt(sentence, i);
            if (found is null) { i++; continue; }
            var start = i;
            var stop = i + foundLength;
            i = stop;
            if (encodeSpecialTokens && found.Special) continue;
            if (found.SingleWord)
            {
                var startSpace = start == 0 || !IsWordChar(sentence[start - 1]);
                var stopSpace = stop == sentence.Length || !IsWordChar(sentence[stop]);
                if (!startSpace || !stopSpace) continue;
            }
            if (found.Lstrip)
            {
                var newStart = start;
                while (newStart > 0 && char.IsWhiteSpace(sentence[newStart - 1])) newStart--;
                start = Math.Max(newStart, startOffset);
            }
            if (found.Rstrip)
            {
                while (stop < sentence.Length && char.IsWhiteSpace(sentence[stop])) stop++;
                i = stop;
            }
            if (startOffset < start) result.Add(new Segment(sentence[startOffset..start], null, segment.AtStart && startOffset == 0));
            result.Add(new Segment(sentence[start..stop], found.Id, segment.AtStart && start == 0));
            startOffset = stop;
        }
        if (startOffset < sentence.Length) result.Add(new Segment(sentence[startOffset..], null, segment.AtStart && startOffset == 0));
        return result;
    }

    // Rust regex's \w: letters, marks, decimal digits, connector punctuation.
    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
            or UnicodeCategory.EnclosingMark or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.LetterNumber;

    // A character trie: the longest token starting at a position costs one walk, not a lookup per length.
    private sealed class Trie
    {
        private sealed class Node
        {
            public Dictionary<char, Node>? Children;
            public AddedToken? Token;
        }

        private readonly Node _root = new();

        public bool IsEmpty => _root.Children is null;

        public void Add(string content, AddedToken token)
        {
            var node = _root;
            foreach (var c in content)
            {
                node.Children ??= [];
                if (!node.Children.TryGetValue(c, out var child)) node.Children[c] = child = new Node();
                node = child;
            }
            node.Token = token;
        }

        public (AddedToken? Token, int Length) LongestAt(string text, int start)
        {
            AddedToken? best = null;
            var bestLength = 0;
            var node = _root;
            for (var i = start; i < text.Length && node.Children is not null && node.Children.TryGetValue(text[i], out node); i++)
                if (node.Token is not null) { best = node.Token; bestLength = i - start + 1; }
            return (best, bestLength);
        }
    }
}
