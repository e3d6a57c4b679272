using System.Text;
using System.Text.RegularExpressions;
using ForgetLab.Core.Python;

namespace ForgetLab.Lab.Suites.LmEval;

/// <summary>A <c>metric_list</c> entry: the metric, its direction and (for <c>exact_match</c>) its options.</summary>
public sealed record LmEvalMetric(string Name, bool HigherIsBetter, ExactMatchOptions? ExactMatch = null);

/// <summary>
/// lm-eval's <c>exact_match</c> (<c>exact_match_hf_evaluate</c>, ported from Hugging Face evaluate's
/// metrics/exact_match/exact_match.py), on the arrays lm-eval passes it (one prediction and one reference, or, for several
/// references, the prediction repeated beside each). As there, the strings are numpy fixed-width arrays: every regex of
/// <see cref="RegexesToIgnore"/> is removed (<c>re.sub(s, "", x)</c>, in order, each result a new array), then
/// <c>np.char.lower</c> applies Python's <c>str.lower</c> (full case mapping: 'İ' becomes "i̇", a final 'Σ' becomes 'ς')
/// and keeps the array's width — the longest element's length in code points — so a string that lower-casing lengthens
/// loses its last code points ("İstanbul" becomes "i̇stanbu"); then <c>string.punctuation</c> (ASCII only) and then
/// <c>string.digits</c> are deleted, as the flags say. A numpy string never ends in NUL (trailing NULs are dropped), and
/// the score is the share of equal pairs.
/// </summary>
public sealed record ExactMatchOptions(IReadOnlyList<string> RegexesToIgnore, bool IgnoreCase, bool IgnorePunctuation, bool IgnoreNumbers)
{
    public static ExactMatchOptions None { get; } = new([], false, false, false);

    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    public double Score(IReadOnlyList<string> predictions, IReadOnlyList<string> references)
    {
        var p = Normalise(predictions);
        var r = Normalise(references);
        var equal = p.Zip(r).Count(x => string.Equals(x.First, x.Second, StringComparison.Ordinal));
        return (double)equal / p.Count;
    }

    /// <summary>One string as its own array (lm-eval's single-reference call).</summary>
    public string Normalise(string text) => Normalise([text])[0];

    /// <summary>An array of strings as <c>exact_match_hf_evaluate</c> leaves it before comparing.</summary>
    public IReadOnlyList<string> Normalise(IReadOnlyList<string> texts)
    {
        var array = texts.Select(NumpyStr).ToList();
        foreach (var pattern in RegexesToIgnore) array = array.Select(t => NumpyStr(PythonRegex.Sub(pattern, "", t))).ToList();
        if (IgnoreCase)
        {
            var width = array.Count == 0 ? 0 : array.Max(CodePoints);
            array = array.Select(t => NumpyStr(Truncate(PythonLower(t), width))).ToList();
        }
        if (IgnorePunctuation) array = array.Select(t => string.Concat(t.Where(c => !Punctuation.Contains(c)))).ToList();
        if (IgnoreNumbers) array = array.Select(t => string.Concat(t.Where(c => !char.IsAsciiDigit(c)))).ToList();
        return array;
    }

    // numpy's str_ drops trailing NULs when it stores a string.
    private static string NumpyStr(string text) => text.TrimEnd('\0');

    private static int CodePoints(string text) => text.EnumerateRunes().Count();

    private static string Truncate(string text, int codePoints)
    {
        var kept = 0;
        var i = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (kept == codePoints) return text[..i];
            kept++;
            i += rune.Utf16SequenceLength;
        }
        return text;
    }

    /// <summary>
    /// CPython's <c>str.lower</c>: each code point's lower-case mapping, 'İ' (U+0130, the one unconditional full mapping
    /// of more than one code point) to "i̇", and 'Σ' to 'ς' where it ends a word (CPython's Final_Sigma: a cased letter
    /// before it and none after it, case-ignorable characters skipped), else to 'σ'.
    /// </summary>
    public static string PythonLower(string text)
    {
        var runes = text.EnumerateRunes().ToArray();
        var result = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < runes.Length; i++)
        {
            var rune = runes[i];
            if (rune.Value == 0x130) result.Append("i\u0307");
            else if (rune.Value == 0x3A3) result.Append(FinalSigma(runes, i) ? 'ς' : 'σ');
            else result.Append(Rune.ToLowerInvariant(rune).ToString());
        }
        return result.ToString();
    }

    private static bool FinalSigma(Rune[] runes, int at)
    {
        var before = at - 1;
        while (before >= 0 && CaseIgnorable(runes[before])) before--;
        if (before < 0 || !Cased(runes[before])) return false;
        var after = at + 1;
        while (after < runes.Length && CaseIgnorable(runes[after])) after++;
        return after == runes.Length || !Cased(runes[after]);
    }

    private static bool Cased(Rune r) => Rune.GetUnicodeCategory(r) is System.Globalization.UnicodeCategory.UppercaseLetter
        or System.Globalization.UnicodeCategory.LowercaseLetter or System.Globalization.UnicodeCategory.TitlecaseLetter;

    // Unicode's Case_Ignorable: Mn, Me, Cf, Lm, Sk, and the Word_Break MidLetter/MidNumLet/Single_Quote characters.
    private static bool CaseIgnorable(Rune r) =>
        Rune.GetUnicodeCategory(r) is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.EnclosingMark
            or System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.ModifierLetter or System.Globalization.UnicodeCategory.ModifierSymbol
        || r.Value is '\'' or '.' or ':' or 0xB7 or 0x387 or 0x55F or 0x5F4 or 0x2018 or 0x2019 or 0x2024 or 0x2027 or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;
}

/// <summary>
/// A <c>filter_list</c> entry: a named pipeline applied to each generation before the metrics (lm-eval's
/// <c>FilterEnsemble</c>). Without a filter_list lm-eval applies one pipeline named <c>none</c> (take_first).
/// </summary>
public sealed record LmEvalFilter(string Name, IReadOnlyList<LmEvalFilterStep> Steps)
{
    public static LmEvalFilter None { get; } = new("none", [new LmEvalFilterStep.TakeFirst()]);

    public string Apply(string response) => Steps.Aggregate(response, (r, step) => step.Apply(r));
}

/// <summary>One step of a filter pipeline.</summary>
public abstract record LmEvalFilterStep
{
    public abstract string Apply(string response);

    /// <summary><c>take_first</c>: of the responses to one request keep the first; with one greedy response, that one.</summary>
    public sealed record TakeFirst : LmEvalFilterStep
    {
        public override string Apply(string response) => response;
    }

    /// <summary>
    /// <c>regex</c> (lm_eval/filters/extraction.py <c>RegexFilter</c>): <c>re.findall</c>; of the matches the one at
    /// <see cref="GroupSelect"/> (negative counts from the end); a match of several groups becomes its first non-empty
    /// group (or the fallback); the result is stripped. No match: <see cref="Fallback"/>.
    /// </summary>
    public sealed record RegexExtract(string Pattern, int GroupSelect, string Fallback) : LmEvalFilterStep
    {
        private readonly Regex _regex = PythonRegex.Compile(Pattern);

        public override string Apply(string response)
        {
            var matches = PythonRegex.FindAll(_regex, response);
            if (matches.Count == 0) return Fallback;
            var index = GroupSelect < 0 ? matches.Count + GroupSelect : GroupSelect;
            if (index < 0 || index >= matches.Count)
                throw new InvalidOperationException($"filter regex '{Pattern}': group_select {GroupSelect} is outside the {matches.Count} matches (lm-eval raises IndexError here).");
            var match = matches[index];
            var text = _regex.GetGroupNumbers().Length > 2 ? match.FirstOrDefault(m => m.Length > 0) ?? Fallback : match[0];
            return text.Trim();
        }
    }
}
