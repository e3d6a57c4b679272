using ForgetLab.Core.Analysis;
using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Suites;

namespace ForgetLab.Lab.Tests.Evaluation;

public class SuiteEvaluatorTests
{
    /// <summary>A scripted model: log-probabilities and generations looked up from tables (lm-eval's dummy-model idea).</summary>
    private sealed class ScriptedModel(Dictionary<string, double> logProbs, Dictionary<string, string> generations) : ILanguageModel
    {
        public int Calls { get; private set; }

        public IReadOnlyList<LoglikelihoodResult> Loglikelihood(IReadOnlyList<LoglikelihoodRequest> requests)
        {
            Calls++;
            // lm-eval's request shape: each choice after the target delimiter.
            return requests.Select(r => new LoglikelihoodResult(logProbs[r.Continuation[SuiteEvaluator.TargetDelimiter.Length..]], false, 1)).ToList();
        }

        public IReadOnlyList<RollingResult> LoglikelihoodRolling(IReadOnlyList<string> texts) => texts.Select(t => new RollingResult(t.Length, 2)).ToList();

        public IReadOnlyList<string> GenerateUntil(IReadOnlyList<string> prompts, IReadOnlyList<string> until, int maxNewTokens) => prompts.Select(p => generations[p]).ToList();

        public IReadOnlyList<double> KlFrom(ILanguageModel reference, IReadOnlyList<string> texts) => texts.Select(_ => 0.25).ToList();
    }

    private static SuiteDefinition Suite(string kind, string metric, params SuiteItem[] items) => new("s", "1-abc", "knowledge", kind, metric, items);

    [Fact]
    public void MultipleChoiceScoresAllChoicesInOneCallAndPicksTheMostLikely()
    {
        var model = new ScriptedModel(new() { ["lima"] = -1, ["quito"] = -2, ["a"] = -0.5, ["bbbbbbbb"] = -1 }, []);
        var suite = Suite(SuiteKinds.MultipleChoice, "acc",
            SuiteItem.MultipleChoice("peru", "capital of peru ?", ["quito", "lima"], 1),
            SuiteItem.MultipleChoice("x", "which ?", ["a", "bbbbbbbb"], 1));
        var result = new SuiteEvaluator().Evaluate(model, suite);
        Assert.Equal([1.0, 0.0], result.Outcomes.Values);
        Assert.Equal(["lima", "a"], result.Responses);
        Assert.Equal(1, model.Calls);
        Assert.Equal(0.5, result.Outcomes.Chance);
        Assert.Equal(OutcomeKind.Binary, result.Outcomes.Kind);
    }

    [Fact]
    public void AccNormDividesByTheChoicesCharacterLength()
    {
        var model = new ScriptedModel(new() { ["a"] = -0.5, ["bbbbbbbb"] = -1 }, []);
        var suite = Suite(SuiteKinds.MultipleChoice, "acc_norm", SuiteItem.MultipleChoice("x", "which ?", ["a", "bbbbbbbb"], 1));
        Assert.Equal([1.0], new SuiteEvaluator().Evaluate(model, suite).Outcomes.Values); // -1/8 beats -0.5/1
    }

    [Fact]
    public void ExactMatchNormalisesCaseSpacesAndTheFinalStop()
    {
        var model = new ScriptedModel([], new() { ["q1"] = "Lima", ["q2"] = "  buenos   aires .", ["q3"] = "quito" });
        var suite = Suite(SuiteKinds.GenerateUntil, "exact_match",
            SuiteItem.Generate("a", "q1", "lima"), SuiteItem.Generate("b", "q2", "buenos aires"), SuiteItem.Generate("c", "q3", "lima"));
        var result = new SuiteEvaluator().Evaluate(model, suite);
        Assert.Equal([1.0, 1.0, 0.0], result.Outcomes.Values);
        Assert.Equal(0.0, result.Outcomes.Chance);
    }

    [Fact]
    public void KlToBaseIsZeroForTheBaseItselfAndMeasuredAgainstAReference()
    {
        var model = new ScriptedModel([], []);
        var suite = new SuiteDefinition("kl", "1-x", "language", SuiteKinds.KlToBase, "kl", [SuiteItem.KlPrompt("k1", "text")]);
        Assert.Equal([0.0], new SuiteEvaluator().Evaluate(model, suite).Outcomes.Values);
        Assert.Equal([0.25], new SuiteEvaluator().Evaluate(model, suite, reference: model).Outcomes.Values);
    }
}
