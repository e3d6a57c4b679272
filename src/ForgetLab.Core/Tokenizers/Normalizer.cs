using System.Globalization;
using System.Text;
using ForgetLab.Core.Tokenizers.Normalization;

namespace ForgetLab.Core.Tokenizers;

/// <summary>
/// <c>tokenizer.json</c>'s <c>normalizer</c>: NFC/NFD/NFKC/NFKD, Lowercase, Strip, StripAccents, Prepend, Replace
/// and Sequence, as Hugging Face's <c>tokenizers</c> define them. Others (BertNormalizer, Precompiled, …) are
/// refused by name.
/// </summary>
internal abstract class Normalizer
{
    public abstract string Apply(string text);

    public static Normalizer? Parse(JsonField field, TokenizerLimits limits)
    {
        if (field.IsNull) return null;
        field.Object();
        var type = field.Child("type").String();
        return type switch
        {
            "NFC" => new Unicode(NormalizationForm.FormC),
            "NFD" => new Unicode(NormalizationForm.FormD),
            "NFKC" => new Unicode(NormalizationForm.FormKC),
            "NFKD" => new Unicode(NormalizationForm.FormKD),
            "Lowercase" => new Lowercase(),
            "StripAccents" => new StripAccents(),
            "Strip" => new Strip(field.Child("strip_left").Bool(true), field.Child("strip_right").Bool(true)),
            "Prepend" => new Prepend(field.Child("prepend").String()),
            "Replace" => new Replace(Pattern.Parse(field.Child("pattern"), limits), field.Child("content").String()),
            "Sequence" => new Sequence(field.Child("normalizers").Items(limits.MaxComponents).Select(n => Parse(n, limits)!).ToArray()),
            _ => throw field.Child("type").Error($"normalizer {JsonField.Quote(type)} is not supported (supported: NFC, NFD, NFKC, NFKD, Lowercase, Strip, StripAccents, Prepend, Replace, Sequence)"),
        };
    }

    private sealed class Unicode(NormalizationForm form) : Normalizer
    {
        public override string Apply(string text) => UnicodeNormalization.Normalize(text, form);
    }

    private sealed class Lowercase : Normalizer
    {
        public override string Apply(string text) => text.ToLowerInvariant();
    }

    // tokenizers drops every combining mark (General_Category M: Mn, Mc and Me), as unicode-normalization defines it.
    private sealed class StripAccents : Normalizer
    {
        public override string Apply(string text)
        {
            var sb = new StringBuilder(text.Length);
            foreach (var c in text)
                if (CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark))
                    sb.Append(c);
            return sb.ToString();
        }
    }

    private sealed class Strip(bool left, bool right) : Normalizer
    {
        public override string Apply(string text) => left && right ? text.Trim() : left ? text.TrimStart() : right ? text.TrimEnd() : text;
    }

    // tokenizers prepends only to a non-empty string.
    private sealed class Prepend(string prefix) : Normalizer
    {
        public override string Apply(string text) => text.Length == 0 ? text : prefix + text;
    }

    private sealed class Replace(Pattern pattern, string content) : Normalizer
    {
        public override string Apply(string text)
        {
            var matches = pattern.Matches(text);
            if (matches.Count == 0) return text;
            var sb = new StringBuilder(text.Length);
            var at = 0;
            foreach (var (start, length) in matches)
            {
                sb.Append(text, at, start - at).Append(content);
                at = start + length;
            }
            return sb.Append(text, at, text.Length - at).ToString();
        }
    }

    private sealed class Sequence(Normalizer[] steps) : Normalizer
    {
        public override string Apply(string text)
        {
            foreach (var step in steps) text = step.Apply(text);
            return text;
        }
    }
}

/// <summary>A <c>pattern</c> field: <c>{"String": "…"}</c> (literal) or <c>{"Regex": "…"}</c>.</summary>
internal abstract class Pattern
{
    public abstract List<(int Start, int Length)> Matches(string text);

    public static Pattern Parse(JsonField field, TokenizerLimits limits)
    {
        field.Object();
        if (field.Has("String"))
        {
            var literal = field.Child("String").String();
            if (literal.Length > limits.MaxPatternChars) throw field.Child("String").Error($"longer than {limits.MaxPatternChars} characters");
            return new Literal(literal);
        }
        if (field.Has("Regex"))
        {
            var regex = field.Child("Regex").String();
            if (regex.Length > limits.MaxPatternChars) throw field.Child("Regex").Error($"longer than {limits.MaxPatternChars} characters");
            return new Expression(new CodePointRegex(regex, limits.MatchTimeout, field.Child("Regex")));
        }
        throw field.Error("expected {\"String\": …} or {\"Regex\": …}");
    }

    private sealed class Literal(string literal) : Pattern
    {
        public override List<(int, int)> Matches(string text)
        {
            var result = new List<(int, int)>();
            if (literal.Length == 0) return result;
            for (var i = text.IndexOf(literal, StringComparison.Ordinal); i >= 0; i = text.IndexOf(literal, i + literal.Length, StringComparison.Ordinal))
                result.Add((i, literal.Length));
            return result;
        }
    }

    private sealed class Expression(CodePointRegex regex) : Pattern
    {
        public override List<(int, int)> Matches(string text) => regex.Matches(text);
    }
}
