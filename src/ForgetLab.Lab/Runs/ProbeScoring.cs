using ForgetLab.Core.Baselines;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Model;

namespace ForgetLab.Lab.Runs;

/// <summary>
/// Scores a <see cref="PretrainProbe"/>'s suites on the model being pre-trained, with the conventions the lab scores
/// its bases with (<see cref="EvaluationConventions.For"/>), so the probe at the last step is the baseline.
/// </summary>
internal sealed class ProbeScoring(PretrainProbe probe, CausalLanguageModel model, ITokenizer tokenizer, int batchSize)
{
    private readonly EvaluationConventions conventions = EvaluationConventions.For(tokenizer);

    public IEnumerable<PretrainProbeScore> At(int step)
    {
        var lm = new TorchLanguageModel(model, tokenizer, batchSize, conventions.Options);
        var evaluator = new SuiteEvaluator(conventions);
        foreach (var suite in probe.Suites)
            yield return new PretrainProbeScore(step, suite.Name, suite.Metric, BaselineFiles.Score(evaluator.Evaluate(lm, suite).Outcomes));
    }
}
