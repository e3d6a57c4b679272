using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Suites;
using ForgetLab.Lab.Tests.Suites;

namespace ForgetLab.Lab.Tests.Evaluation;

/// <summary>A suite read from an lm-eval task file is scored by the evaluator on the task's own requests and metric.</summary>
public sealed class LmEvalSuiteEvaluatorTests
{
    /// <summary>Answers loglikelihoods from a function and generations from a table keyed by the context's end.</summary>
    private sealed class ScriptedModel(Func<LoglikelihoodRequest, double> logProb, Func<string, string> generate) : ILanguageModel
    {
        public List<string> Contexts { get; } = [];

        public IReadOnlyList<LoglikelihoodResult> Loglikelihood(IReadOnlyList<LoglikelihoodRequest> requests)
        {
            Contexts.AddRange(requests.Select(r => r.Context));
            return [.. requests.Select(r => new LoglikelihoodResult(logProb(r), false, 1))];
        }

        public IReadOnlyList<RollingResult> LoglikelihoodRolling(IReadOnlyList<string> texts) => [.. texts.Select(t => new RollingResult(t.Length, 1))];

        public IReadOnlyList<string> GenerateUntil(IReadOnlyList<string> prompts, IReadOnlyList<string> until, int maxNewTokens)
        {
            Contexts.AddRange(prompts);
            return [.. prompts.Select(generate)];
        }

        public IReadOnlyList<double> KlFrom(ILanguageModel reference, IReadOnlyList<string> texts) => [.. texts.Select(_ => 0.0)];
    }

    [Fact]
    public void AGsm8kStyleTaskIsScoredByItsRegexFilterAndExactMatchAfterTheBasesConvention()
    {
        var suite = SuiteReader.Read(LmEvalReference.Fixture("gsm8k_style/gsm8k_style.yaml"));
        var task = suite.LmEval!;
        // Every answer in the task's "#### N" form is right, so strict-match scores 1 on every item; the same
        // answers without the marker score 0 under strict-match although ForgetLab's own exact match never asked for it.
        string Answer(string context) => task.Docs.Single(d => context.EndsWith(d.Context, StringComparison.Ordinal)).References[0].Split("#### ")[^1];
        string Right(string context) => $" so the answer is\n#### {Answer(context)}";
        var model = new ScriptedModel(_ => 0, Right);

        var result = new SuiteEvaluator(maxNewTokens: 12, description: "<eos>").Evaluate(model, suite);

        Assert.Equal(suite.Metric, result.Outcomes.Metric);
        Assert.StartsWith("exact_match,", suite.Metric, StringComparison.Ordinal);
        Assert.All(result.Outcomes.Values, v => Assert.Equal(1.0, v));
        Assert.All(model.Contexts, c => Assert.StartsWith("<eos>", c, StringComparison.Ordinal));
        Assert.Equal(task.Docs.Count, result.Outcomes.Values.Count);

        var unmarked = new ScriptedModel(_ => 0, c => " " + Answer(c));
        Assert.All(new SuiteEvaluator().Evaluate(unmarked, suite).Outcomes.Values, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void ALoglikelihoodTasksPerplexityIsTheNegativeLogLikelihoodPerItemWithLowerBetter()
    {
        var suite = SuiteReader.Read(LmEvalReference.Fixture("lambada_style/lambada_style.yaml"));
        var model = new ScriptedModel(r => -r.Continuation.Length, _ => "");

        var result = new SuiteEvaluator().Evaluate(model, suite);

        Assert.Equal("perplexity", result.Outcomes.Metric);
        Assert.False(result.Outcomes.HigherIsBetter);
        Assert.Equal(suite.LmEval!.Docs.Select(d => (double)d.Continuations[0].Length), result.Outcomes.Values);
    }
}
