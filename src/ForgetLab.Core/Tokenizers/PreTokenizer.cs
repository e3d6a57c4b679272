namespace ForgetLab.Core.Tokenizers;

/// <summary>One piece of text between pre-tokenizer steps; <see cref="AtStart"/>: it begins at the start of the input.</summary>
internal readonly record struct Piece(string Text, bool AtStart);

/// <summary>
/// <c>tokenizer.json</c>'s <c>pre_tokenizer</c>: ByteLevel (<c>add_prefix_space</c>, <c>use_regex</c> with GPT-2's
/// pattern), Split (String or Regex pattern, every <c>behavior</c>, <c>invert</c>), Metaspace, Digits, Whitespace,
/// WhitespaceSplit and Sequence, with the splitting rules of Hugging Face's <c>tokenizers</c>. Others are refused by
/// name.
/// </summary>
internal abstract class PreTokenizer
{
    // GPT-2's pattern, as ByteLevel's use_regex applies it.
    internal const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public abstract List<Piece> Apply(List<Piece> pieces);

    public static PreTokenizer? Parse(JsonField field, TokenizerLimits limits)
    {
        if (field.IsNull) return null;
        field.Object();
        var type = field.Child("type").String();
        return type switch
        {
            "ByteLevel" => new ByteLevel(field.Child("add_prefix_space").Bool(true), field.Child("use_regex").Bool(true) ? new CodePointRegex(Gpt2Pattern, limits.MatchTimeout, field) : null),
            "Split" => new Split(Pattern.Parse(field.Child("pattern"), limits), ParseBehavior(field.Child("behavior")), field.Child("invert").Bool(false)),
            "Sequence" => new Sequence(field.Child("pretokenizers").Items(limits.MaxComponents).Select(p => Parse(p, limits)!).ToArray()),
            "Metaspace" => ParseMetaspace(field),
            "Digits" => new CharSplit(char.IsNumber, field.Child("individual_digits").Bool(false) ? Behavior.Isolated : Behavior.Contiguous),
            "Whitespace" => new Split(new RegexPattern(new CodePointRegex(@"\w+|[^\w\s]+", limits.MatchTimeout, field)), Behavior.Removed, invert: true),
            "WhitespaceSplit" => new CharSplit(char.IsWhiteSpace, Behavior.Removed),
            _ => throw field.Child("type").Error($"pre-tokenizer {JsonField.Quote(type)} is not supported (supported: ByteLevel, Split, Sequence, Metaspace, Digits, Whitespace, WhitespaceSplit)"),
        };
    }

    internal enum Behavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous }

    private static Behavior ParseBehavior(JsonField field)
    {
        var name = field.String();
        return Enum.TryParse<Behavior>(name, ignoreCase: false, out var b) && Enum.IsDefined(b)
            ? b
            : throw field.Error($"{JsonField.Quote(name)} is not a split behavior (Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous)");
    }

    private static Metaspace ParseMetaspace(JsonField field)
    {
        var replacement = field.Child("replacement").OptionalString() ?? "\u2581";
        if (replacement.Length != 1) throw field.Child("replacement").Error("expected one character");
        var scheme = field.Child("prepend_scheme").OptionalString()
            ?? (field.Child("add_prefix_space").Bool(true) ? "always" : "never");
        if (scheme is not ("always" or "first" or "never"))
            throw field.Child("prepend_scheme").Error($"{JsonField.Quote(scheme)} is not a prepend scheme (always, first, never)");
        return new Metaspace(replacement[0], scheme, field.Child("split").Bool(true));
    }

    /// <summary>
    /// Splits <paramref name="text"/> at the matches as tokenizers' <c>NormalizedString::split</c> does: the
    /// pieces cover the text, matches are flagged (or the gaps, with <paramref name="invert"/>), the behaviour
    /// decides where a match goes, and empty pieces are dropped.
    /// </summary>
    internal static List<Piece> SplitPiece(Piece piece, List<(int Start, int Length)> matches, Behavior behavior, bool invert)
    {
        var text = piece.Text;
        var spans = new List<(int Start, int End, bool Match)>();
        var prev = 0;
        foreach (var (start, length) in matches)
        {
            if (prev != start) spans.Add((prev, start, invert));
            spans.Add((start, start + length, !invert));
            prev = start + length;
        }
        if (prev != text.Length) spans.Add((prev, text.Length, invert));

        var kept = new List<(int Start, int End)>();
        switch (behavior)
        {
            case Behavior.Removed:
                foreach (var s in spans) if (!s.Match) kept.Add((s.Start, s.End));
                break;
            case Behavior.Isolated:
                foreach (var s in spans) kept.Add((s.Start, s.End));
                break;
            case Behavior.MergedWithPrevious:
            {
                var previousMatch = false;
                foreach (var s in spans)
                {
                    if (s.Match && !previousMatch && kept.Count > 0) kept[^1] = (kept[^1].Start, s.End);
                    else kept.Add((s.Start, s.End));
                    previousMatch = s.Match;
                }
                break;
            }
            case Behavior.MergedWithNext:
            {
                var previousMatch = false;
                for (var i = spans.Count - 1; i >= 0; i--)
                {
                    var s = spans[i];
                    if (s.Match && !previousMatch && kept.Count > 0) kept[^1] = (s.Start, kept[^1].End);
                    else kept.Add((s.Start, s.End));
                    previousMatch = s.Match;
                }
                kept.Reverse();
                break;
            }
            case Behavior.Contiguous:
            {
                var previousMatch = false;
                foreach (var s in spans)
                {
                    if (s.Match == previousMatch && kept.Count > 0) kept[^1] = (kept[^1].Start, s.End);
                    else kept.Add((s.Start, s.End));
                    previousMatch = s.Match;
                }
                break;
            }
        }

        var result = new List<Piece>(kept.Count);
        foreach (var (start, end) in kept)
            if (end > start) result.Add(new Piece(text[start..end], piece.AtStart && start == 0));
        return result;
    }

    private sealed class ByteLevel(bool addPrefixSpace, CodePointRegex? regex) : PreTokenizer
    {
        public override List<Piece> Apply(List<Piece> pieces)
        {
            var result = new List<Piece>();
            foreach (var piece in pieces)
            {
                var p = addPrefixSpace && !piece.Text.StartsWith(' ') ? piece with { Text = " " + piece.Text } : piece;
                var parts = regex is null ? [p] : SplitPiece(p, regex.Matches(p.Text), Behavior.Isolated, invert: false);
                foreach (var part in parts) result.Add(part with { Text = ByteLevelAlphabet.Encode(part.Text) });
            }
            return result;
        }
    }

    private sealed class Split(Pattern pattern, Behavior behavior, bool invert) : PreTokenizer
    {
        public override List<Piece> Apply(List<Piece> pieces)
        {
            var result = new List<Piece>();
            foreach (var piece in pieces) result.AddRange(SplitPiece(piece, pattern.Matches(piece.Text), behavior, invert));
            return result;
        }
    }

    private sealed class RegexPattern(CodePointRegex regex) : Pattern
    {
        public override List<(int Start, int Length)> Matches(string text) => regex.Matches(text);
    }

    private sealed class CharSplit(Func<char, bool> predicate, Behavior behavior) : PreTokenizer
    {
        public override List<Piece> Apply(List<Piece> pieces)
        {
            var result = new List<Piece>();
            foreach (var piece in pieces)
            {
                var matches = new List<(int, int)>();
                for (var i = 0; i < piece.Text.Length; i++)
                    if (predicate(piece.Text[i])) matches.Add((i, 1));
                result.AddRange(SplitPiece(piece, matches, behavior, invert: false));
            }
            return result;
        }
    }

    private sealed class Metaspace(char replacement, string scheme, bool split) : PreTokenizer
    {
        public override List<Piece> Apply(List<Piece> pieces)
        {
            var result = new List<Piece>();
            foreach (var piece in pieces)
            {
                var text = piece.Text.Replace(' ', replacement);
                var prepend = scheme == "always" || scheme == "first" && piece.AtStart;
                if (prepend && !text.StartsWith(replacement)) text = replacement + text;
                var p = piece with { Text = text };
                if (!split) { result.Add(p); continue; }
                var matches = new List<(int, int)>();
                for (var i = 0; i < text.Length; i++)
                    if (text[i] == replacement) matches.Add((i, 1));
                result.AddRange(SplitPiece(p, matches, Behavior.MergedWithNext, invert: false));
            }
            return result;
        }
    }

    private sealed class Sequence(PreTokenizer[] steps) : PreTokenizer
    {
        public override List<Piece> Apply(List<Piece> pieces)
        {
            foreach (var step in steps) pieces = step.Apply(pieces);
            return pieces;
        }
    }
}
