using System.Text.RegularExpressions;

namespace ForgetLab.Lab.Suites.LmEval;

/// <summary>
/// An lm-evaluation-harness task read from its YAML (<see cref="LmEvalTaskReader"/>): for every evaluated document
/// the requests lm-eval would send (context and continuations, or context and <see cref="Until"/>), and the metrics
/// it would compute from the model's answers, as pure functions of those answers. <see cref="ToSuite"/> gives the
/// suite ForgetLab reports; its primary metric is the first of <c>metric_list</c> (with the first filter).
/// </summary>
public sealed partial record LmEvalTask(
    string Name,
    string Version,
    string OutputType,
    string Category,
    string TargetDelimiter,
    IReadOnlyList<string> Until,
    int MaxGenToks,
    IReadOnlyList<LmEvalMetric> Metrics,
    IReadOnlyList<LmEvalFilter> Filters,
    IReadOnlyList<LmEvalDoc> Docs)
{
    /// <summary>lm-eval's output type that has no ForgetLab suite kind of its own: one continuation, acc = is_greedy.</summary>
    public const string Loglikelihood = "loglikelihood";

    /// <summary>The metric the suite reports: the first of metric_list, with the first filter's name for generate_until (<c>exact_match,strict-match</c>).</summary>
    public string PrimaryMetric => OutputType == SuiteKinds.GenerateUntil ? $"{Metrics[0].Name},{Filters[0].Name}" : Metrics[0].Name;

    /// <summary>multiple_choice: per metric, 1 or 0 from one log-likelihood (and greedy flag) per choice, in choice order.</summary>
    public IReadOnlyDictionary<string, double> ScoreChoices(int doc, IReadOnlyList<double> logLikelihoods, IReadOnlyList<bool> isGreedy)
    {
        var d = Docs[doc];
        if (logLikelihoods.Count != d.Choices.Count) throw new ArgumentException($"document {doc} has {d.Choices.Count} choices, not {logLikelihoods.Count}");
        var pred = ArgMax(logLikelihoods.ToArray());
        // len() in Python counts code points, not UTF-16 units.
        var predNorm = ArgMax(logLikelihoods.Select((ll, i) => ll / d.Choices[i].EnumerateRunes().Count()).ToArray());
        var predBytes = ArgMax(logLikelihoods.Select((ll, i) => ll / System.Text.Encoding.UTF8.GetByteCount(d.Choices[i])).ToArray());
        double Hit(int p) => d.Gold.Contains(p) ? 1.0 : 0.0;
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var m in Metrics)
        {
            scores[m.Name] = m.Name switch
            {
                "acc" => Hit(pred),
                "acc_norm" => Hit(predNorm),
                "acc_bytes" => Hit(predBytes),
                // lm-eval: is_greedy of the gold choice (any of them for several golds); an out-of-range gold scores 0.
                _ => d.Gold.Any(g => g >= 0 && isGreedy[g]) ? 1.0 : 0.0,
            };
        }
        return scores;
    }

    /// <summary>generate_until: per <c>metric,filter</c>, the exact match of the filtered generation against the reference(s).</summary>
    public IReadOnlyDictionary<string, double> ScoreGeneration(int doc, string generation)
    {
        var d = Docs[doc];
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var filter in Filters)
        {
            var result = filter.Apply(generation);
            foreach (var m in Metrics)
            {
                var options = m.ExactMatch ?? ExactMatchOptions.None;
                // Several references: lm-eval scores the prediction against each and counts a hit on any.
                var score = options.Score(d.References.Select(_ => result).ToList(), d.References);
                scores[$"{m.Name},{filter.Name}"] = d.MultipleTarget ? (score > 0 ? 1.0 : 0.0) : score;
            }
        }
        return scores;
    }

    /// <summary>The filtered generation each filter passes to the metrics (what lm-eval logs as <c>filtered_resps</c>).</summary>
    public IReadOnlyDictionary<string, string> Filtered(string generation) =>
        Filters.ToDictionary(f => f.Name, f => f.Apply(generation), StringComparer.Ordinal);

    /// <summary>loglikelihood: acc = whether greedy decoding gives the continuation, perplexity = its log-likelihood (lm-eval aggregates exp(−mean)).</summary>
    public IReadOnlyDictionary<string, double> ScoreLoglikelihood(double logLikelihood, bool isGreedy) =>
        Metrics.ToDictionary(m => m.Name, m => m.Name == "acc" ? (isGreedy ? 1.0 : 0.0) : logLikelihood, StringComparer.Ordinal);

    /// <summary>loglikelihood_rolling: per metric the pair lm-eval aggregates — (log-likelihood, words) or (log-likelihood, UTF-8 bytes).</summary>
    public IReadOnlyDictionary<string, (double LogLikelihood, int Count)> ScoreRolling(int doc, double logLikelihood)
    {
        var text = Docs[doc].Continuations[0];
        return Metrics.ToDictionary(m => m.Name, m => (logLikelihood, m.Name == "word_perplexity" ? Whitespace().Split(text).Length : System.Text.Encoding.UTF8.GetByteCount(text)), StringComparer.Ordinal);
    }

    /// <summary>The suite ForgetLab evaluates and reports: one item per document, the context as its prompt.</summary>
    public SuiteDefinition ToSuite()
    {
        var items = Docs.Select(d => OutputType switch
        {
            SuiteKinds.MultipleChoice => new SuiteItem(d.Id, d.Context, d.Choices, d.Gold.FirstOrDefault(g => g >= 0, -1), d.Gold.FirstOrDefault(g => g >= 0, -1) is var g and >= 0 ? d.Choices[g] : ""),
            SuiteKinds.GenerateUntil => SuiteItem.Generate(d.Id, d.Context, d.References[0]),
            SuiteKinds.LoglikelihoodRolling => SuiteItem.Rolling(d.Id, d.Continuations[0]),
            _ => new SuiteItem(d.Id, d.Context, d.Continuations, 0, d.Continuations[0]),
        }).ToList();
        // The revision carries a hash of how items are scored, so a changed regex or stop string is another version
        // too; it sits before the '-' so that eval.max_items (SuiteSelection.Cap, which re-hashes the items) keeps it.
        var revision = $"{Version.Replace('-', '.')}+{SuiteDefinition.ContentHash([new SuiteItem("scoring", ScoringKey(), [], -1, "")])}";
        return new SuiteDefinition(Name, $"{revision}-{SuiteDefinition.ContentHash(items)}", Category, OutputType, PrimaryMetric, items)
        {
            Until = Until,
            HigherIsBetter = Metrics[0].HigherIsBetter,
            TargetDelimiter = OutputType == SuiteKinds.MultipleChoice ? TargetDelimiter : "",
            LmEval = this,
        };
    }

    private string ScoringKey()
    {
        static string Step(LmEvalFilterStep step) => step switch
        {
            LmEvalFilterStep.RegexExtract r => $"regex\u0003{r.Pattern}\u0003{r.GroupSelect}\u0003{r.Fallback}",
            _ => "take_first",
        };
        var metrics = Metrics.Select(m => $"{m.Name}\u0003{m.HigherIsBetter}\u0003{(m.ExactMatch is { } e ? $"{string.Join('\u0004', e.RegexesToIgnore)}\u0003{e.IgnoreCase}\u0003{e.IgnorePunctuation}\u0003{e.IgnoreNumbers}" : "")}");
        var filters = Filters.Select(f => $"{f.Name}\u0003{string.Join('\u0004', f.Steps.Select(Step))}");
        return string.Join('\u0002', [OutputType, TargetDelimiter, string.Join('\u0003', Until), MaxGenToks.ToString(System.Globalization.CultureInfo.InvariantCulture), .. metrics, .. filters]);
    }

    // numpy.argmax: the first maximum (a NaN counts as the maximum, the first one wins).
    private static int ArgMax(double[] values)
    {
        var best = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i])) return i;
            if (values[i] > values[best]) best = i;
        }
        return best;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

/// <summary>
/// One evaluated document: its position in the evaluated split (<see cref="Id"/>), the context lm-eval builds
/// (description, few-shot examples, the document's own text), the continuations it scores (multiple_choice:
/// target_delimiter + each choice; loglikelihood: the target; loglikelihood_rolling: the text), the choices, the
/// gold choice index(es) (−100 for one outside the choices, as lm-eval marks it), the reference text(s) of
/// generate_until, and the few-shot documents' positions in the few-shot split.
/// </summary>
public sealed record LmEvalDoc(
    string Id,
    string Context,
    IReadOnlyList<string> Continuations,
    IReadOnlyList<string> Choices,
    IReadOnlyList<int> Gold,
    IReadOnlyList<string> References,
    bool MultipleTarget,
    IReadOnlyList<int> Fewshot);
