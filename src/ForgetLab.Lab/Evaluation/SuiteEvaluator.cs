using ForgetLab.Core.Analysis;
using ForgetLab.Lab.Suites;
using ForgetLab.Lab.Suites.LmEval;

namespace ForgetLab.Lab.Evaluation;

/// <summary>
/// Scores one model on one suite and keeps every item's outcome (so results compare item by item):
/// <c>multiple_choice</c> → acc / acc_norm (1 or 0 per item), <c>generate_until</c> → exact match
/// (1 or 0), <c>loglikelihood_rolling</c> → nats per token, <c>kl_to_base</c> → mean token KL to the base.
/// Requests take lm-evaluation-harness's shapes: a multiple-choice item is one (context, target_delimiter + choice)
/// request per choice with lm-eval's default delimiter " "; a generation is (context, until); a rolling item is its
/// text alone. <paramref name="description"/> is lm-eval's task <c>description</c>, written before every context
/// (<see cref="EvaluationConventions"/>).
/// </summary>
public sealed class SuiteEvaluator(int maxNewTokens = 12, string description = "")
{
    /// <summary>lm-eval's default <c>target_delimiter</c>, between a multiple-choice context and each choice.</summary>
    public const string TargetDelimiter = " ";

    /// <summary>The evaluator a base's conventions ask for.</summary>
    public SuiteEvaluator(EvaluationConventions conventions, int maxNewTokens = 12) : this(maxNewTokens, conventions.Description) { }

    /// <param name="reference">The base model, for <c>kl_to_base</c>; null when <paramref name="model"/> is the base.</param>
    public SuiteEvaluation Evaluate(ILanguageModel model, SuiteDefinition suite, ILanguageModel? reference = null)
    {
        if (suite.LmEval is not null) return EvaluateLmEvalTask(model, suite);
        var ids = suite.Items.Select(i => i.Id).ToList();
        var responses = new string?[suite.Items.Count];
        var (values, kind, chance) = suite.Kind switch
        {
            SuiteKinds.MultipleChoice => (MultipleChoice(model, suite, responses), OutcomeKind.Binary, ChanceOfChoices(suite)),
            SuiteKinds.GenerateUntil => (ExactMatch(model, suite, responses), OutcomeKind.Binary, (double?)0.0),
            SuiteKinds.LoglikelihoodRolling => (Rolling(model, suite), OutcomeKind.Continuous, (double?)null),
            SuiteKinds.Loglikelihood => (Greedy(model, suite), OutcomeKind.Binary, (double?)0.0),
            SuiteKinds.KlToBase => (Kl(model, suite, reference), OutcomeKind.Continuous, (double?)null),
            _ => throw new InvalidDataException($"suite '{suite.Name}': unknown kind '{suite.Kind}'"),
        };
        // The suite file's direction, else its metric's default (the report carries it to every consumer).
        var higherIsBetter = suite.HigherIsBetter ?? MetricDirection.HigherIsBetter(suite.Metric, kind);
        var outcomes = new SuiteOutcomes(suite.Name, suite.Version, ParseCategory(suite), kind, suite.Metric, higherIsBetter, chance, ids, values);
        return new SuiteEvaluation(outcomes, responses);
    }

    /// <summary>
    /// A suite read from an lm-eval task file is scored on the task's own requests and metric (few-shot contexts,
    /// its target_delimiter, exact_match options and filters, acc_norm); its contexts already hold the task's
    /// <c>description</c>. The base's convention (<paramref name="description"/>: EOS for a word-level base, which
    /// saw every document after EOS, as lm-eval would give it a BOS; nothing for a Hugging Face tokenizer) still goes before each context.
    /// </summary>
    private SuiteEvaluation EvaluateLmEvalTask(ILanguageModel model, SuiteDefinition suite)
    {
        var (values, responses) = LmEvalEvaluation.Score(
            suite,
            requests => model.Loglikelihood([.. requests.Select(r => new LoglikelihoodRequest(description + r.Context, r.Continuation))])
                .Select(r => (r.LogProb, r.IsGreedy)).ToList(),
            (contexts, until, maxTokens) => model.GenerateUntil([.. contexts.Select(c => description + c)], until, maxTokens),
            texts => model.LoglikelihoodRolling(texts).Select(r => -r.Nll).ToList());
        var kind = suite.Kind is SuiteKinds.LoglikelihoodRolling || suite.Metric == "perplexity" ? OutcomeKind.Continuous : OutcomeKind.Binary;
        var chance = suite.Kind switch
        {
            SuiteKinds.MultipleChoice => ChanceOfChoices(suite),
            SuiteKinds.GenerateUntil => 0.0,
            _ => (double?)null,
        };
        var higherIsBetter = suite.HigherIsBetter ?? MetricDirection.HigherIsBetter(suite.Metric, kind);
        var outcomes = new SuiteOutcomes(suite.Name, suite.Version, ParseCategory(suite), kind, suite.Metric, higherIsBetter, chance, [.. suite.Items.Select(i => i.Id)], values);
        return new SuiteEvaluation(outcomes, responses);
    }

    private double[] MultipleChoice(ILanguageModel model, SuiteDefinition suite, string?[] responses)
    {
        var requests = suite.Items.SelectMany(item => item.Choices.Select(c => new LoglikelihoodRequest(description + item.Prompt, TargetDelimiter + c))).ToList();
        var results = model.Loglikelihood(requests);
        var normalised = suite.Metric == "acc_norm";
        var values = new double[suite.Items.Count];
        var k = 0;
        for (var i = 0; i < suite.Items.Count; i++)
        {
            var item = suite.Items[i];
            var best = -1;
            var bestScore = double.NegativeInfinity;
            for (var c = 0; c < item.Choices.Count; c++, k++)
            {
                // acc_norm divides by the choice's length in characters, as lm-evaluation-harness does.
                var score = normalised ? results[k].LogProb / Math.Max(1, item.Choices[c].Length) : results[k].LogProb;
                if (score > bestScore) (best, bestScore) = (c, score);
            }
            values[i] = best == item.Gold ? 1 : 0;
            responses[i] = item.Choices[best];
        }
        return values;
    }

    private double[] ExactMatch(ILanguageModel model, SuiteDefinition suite, string?[] responses)
    {
        var outputs = model.GenerateUntil(suite.Items.Select(i => description + i.Prompt).ToList(), suite.Until, maxNewTokens);
        outputs.ToArray().CopyTo(responses, 0);
        return suite.Items.Select((item, i) => Normalise(outputs[i]) == Normalise(item.Target) ? 1.0 : 0.0).ToArray();
    }

    /// <summary>lm-eval's <c>acc</c> of a loglikelihood request: whether the continuation is the greedy one, token by token.</summary>
    private double[] Greedy(ILanguageModel model, SuiteDefinition suite) =>
        [.. model.Loglikelihood([.. suite.Items.Select(i => new LoglikelihoodRequest(description + i.Prompt, i.Target))]).Select(r => r.IsGreedy ? 1.0 : 0.0)];

    private static double[] Rolling(ILanguageModel model, SuiteDefinition suite) =>
        model.LoglikelihoodRolling(suite.Items.Select(i => i.Target).ToList()).Select(r => r.NatsPerToken).ToArray();

    private double[] Kl(ILanguageModel model, SuiteDefinition suite, ILanguageModel? reference) =>
        reference is null
            ? new double[suite.Items.Count] // the base against itself: KL is zero by definition
            : model.KlFrom(reference, suite.Items.Select(i => description + i.Prompt).ToList()).ToArray();

    private static double? ChanceOfChoices(SuiteDefinition suite) =>
        suite.Items.Count == 0 ? null : suite.Items.Average(i => 1.0 / Math.Max(1, i.Choices.Count));

    /// <summary>Exact match compares whitespace-collapsed, lower-cased text without a trailing full stop.</summary>
    internal static string Normalise(string text) =>
        string.Join(' ', text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.', ' ');

    private static SuiteCategory ParseCategory(SuiteDefinition suite) =>
        Enum.TryParse<SuiteCategory>(suite.Category, ignoreCase: true, out var category)
            ? category
            : throw new InvalidDataException($"suite '{suite.Name}': unknown category '{suite.Category}'");
}
