using System.Text.RegularExpressions;
using ForgetLab.Core.Python;

namespace ForgetLab.Lab.Suites.LmEval;

/// <summary>A <c>metric_list</c> entry: the metric, its direction and (for <c>exact_match</c>) its options.</summary>
public sealed record LmEvalMetric(string Name, bool HigherIsBetter, ExactMatchOptions? ExactMatch = null);

/// <summary>
/// lm-eval's <c>exact_match</c> (<c>exact_match_hf_evaluate</c>, ported from Hugging Face evaluate's
/// exact_match): every regex of <see cref="RegexesToIgnore"/> is removed (<c>re.sub(s, "", x)</c>, in order) from
/// predictions and references, then both are lower-cased, then <c>string.punctuation</c> and then
/// <c>string.digits</c> are deleted, as the flags say; the score is the share of equal pairs.
/// </summary>
public sealed record ExactMatchOptions(IReadOnlyList<string> RegexesToIgnore, bool IgnoreCase, bool IgnorePunctuation, bool IgnoreNumbers)
{
    public static ExactMatchOptions None { get; } = new([], false, false, false);

    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    public double Score(IReadOnlyList<string> predictions, IReadOnlyList<string> references)
    {
        var equal = predictions.Zip(references).Count(p => Normalise(p.First) == Normalise(p.Second));
        return (double)equal / predictions.Count;
    }

    public string Normalise(string text)
    {
        foreach (var pattern in RegexesToIgnore) text = PythonRegex.Sub(pattern, "", text);
        if (IgnoreCase) text = text.ToLowerInvariant();
        if (IgnorePunctuation) text = string.Concat(text.Where(c => !Punctuation.Contains(c)));
        if (IgnoreNumbers) text = string.Concat(text.Where(c => !char.IsAsciiDigit(c)));
        return text;
    }
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
