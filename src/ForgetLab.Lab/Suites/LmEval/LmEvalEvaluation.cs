namespace ForgetLab.Lab.Suites.LmEval;

/// <summary>
/// Scores a model on an lm-eval task's own requests: the one call the evaluator makes for a suite read from an
/// lm-eval task file (<see cref="SuiteDefinition.LmEval"/>). The model is reached through two functions, so this code
/// knows no backend and no evaluator types: the evaluator passes its model's loglikelihood and greedy generation.
/// Each item's value is the task's primary metric (<see cref="LmEvalTask.PrimaryMetric"/>): 1 or 0 for acc,
/// acc_norm, exact_match; for loglikelihood's perplexity the negative log-likelihood (lower is better, as perplexity); for loglikelihood_rolling the negative
/// log-likelihood per word or per byte (bits per byte for bits_per_byte), per item so results pair item by item
/// (lm-eval's own aggregate of those is corpus-weighted).
/// </summary>
public static class LmEvalEvaluation
{
    /// <param name="loglikelihood">Summed log-probability of each continuation after its context, and whether greedy decoding gives it.</param>
    /// <param name="generateUntil">Greedy generations for the contexts, given the stop strings and the token budget.</param>
    /// <param name="rolling">Total log-likelihood (≤ 0) of each whole text.</param>
    /// <param name="suite">A suite read from an lm-eval task (<see cref="SuiteDefinition.LmEval"/> set); only its items are
    /// scored, in their order, so a suite capped by <c>eval.max_items</c> scores the documents it kept.</param>
    public static (double[] Values, string?[] Responses) Score(
        SuiteDefinition suite,
        Func<IReadOnlyList<(string Context, string Continuation)>, IReadOnlyList<(double LogLikelihood, bool IsGreedy)>> loglikelihood,
        Func<IReadOnlyList<string>, IReadOnlyList<string>, int, IReadOnlyList<string>> generateUntil,
        Func<IReadOnlyList<string>, IReadOnlyList<double>> rolling)
    {
        var task = suite.LmEval ?? throw new ArgumentException($"suite '{suite.Name}' was not read from an lm-eval task file", nameof(suite));
        var byId = task.Docs.Select((d, i) => (d.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var docs = suite.Items.Select(item => byId.TryGetValue(item.Id, out var i) ? i : throw new ArgumentException($"suite '{suite.Name}': item '{item.Id}' is not a document of its task", nameof(suite))).ToList();
        var values = new double[docs.Count];
        var responses = new string?[docs.Count];
        switch (task.OutputType)
        {
            case SuiteKinds.MultipleChoice:
            {
                var answers = loglikelihood([.. docs.SelectMany(d => task.Docs[d].Continuations.Select(c => (task.Docs[d].Context, c)))]);
                var k = 0;
                for (var i = 0; i < docs.Count; i++)
                {
                    var doc = task.Docs[docs[i]];
                    var mine = answers.Skip(k).Take(doc.Continuations.Count).ToList();
                    k += doc.Continuations.Count;
                    values[i] = task.ScoreChoices(docs[i], [.. mine.Select(a => a.LogLikelihood)], [.. mine.Select(a => a.IsGreedy)])[task.PrimaryMetric];
                    var best = mine.Select((a, c) => (a.LogLikelihood, c)).MaxBy(x => x.LogLikelihood).c;
                    responses[i] = doc.Choices[best];
                }
                break;
            }
            case SuiteKinds.GenerateUntil:
            {
                var generations = generateUntil([.. docs.Select(d => task.Docs[d].Context)], task.Until, task.MaxGenToks);
                for (var i = 0; i < docs.Count; i++)
                {
                    responses[i] = Cut(generations[i], task.Until);
                    values[i] = task.ScoreGeneration(docs[i], responses[i]!)[task.PrimaryMetric];
                }
                break;
            }
            case LmEvalTask.Loglikelihood:
            {
                var answers = loglikelihood([.. docs.Select(d => (task.Docs[d].Context, task.Docs[d].Continuations[0]))]);
                // perplexity's per-item value is the negative log-likelihood, so that its direction (lower is better,
                // as metric_list declares for perplexity) holds for the paired comparison.
                for (var i = 0; i < docs.Count; i++)
                {
                    var value = task.ScoreLoglikelihood(answers[i].LogLikelihood, answers[i].IsGreedy)[task.PrimaryMetric];
                    values[i] = task.PrimaryMetric == "perplexity" ? -value : value;
                }
                break;
            }
            default:
            {
                var lls = rolling([.. docs.Select(d => task.Docs[d].Continuations[0])]);
                for (var i = 0; i < docs.Count; i++)
                {
                    var (ll, count) = task.ScoreRolling(docs[i], lls[i])[task.PrimaryMetric];
                    values[i] = -ll / Math.Max(1, count) / (task.PrimaryMetric == "bits_per_byte" ? Math.Log(2) : 1);
                }
                break;
            }
        }
        return (values, responses);
    }

    /// <summary>The generation cut before the first of the stop strings, as lm-eval's models do (<c>s.split(term)[0]</c> for each term).</summary>
    public static string Cut(string generation, IReadOnlyList<string> until)
    {
        foreach (var term in until)
            if (term.Length > 0 && generation.IndexOf(term, StringComparison.Ordinal) is var at and >= 0)
                generation = generation[..at];
        return generation;
    }
}
