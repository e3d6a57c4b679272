namespace ForgetLab.Lab.Evaluation;

/// <summary>
/// A log-likelihood request: how likely is <paramref name="Continuation"/> after <paramref name="Context"/>. As in
/// lm-eval, word-boundary spaces belong to the continuation (<c>("The capital is", " Paris")</c>).
/// </summary>
public sealed record LoglikelihoodRequest(string Context, string Continuation);

/// <summary>Summed log-probability of a continuation, and whether greedy decoding would have produced it.</summary>
public sealed record LoglikelihoodResult(double LogProb, bool IsGreedy, int Tokens);

/// <summary>Total negative log-likelihood of a text and how many tokens it was spread over.</summary>
public sealed record RollingResult(double Nll, int Tokens)
{
    public double NatsPerToken => Tokens == 0 ? 0 : Nll / Tokens;
}

/// <summary>
/// What the evaluator needs from a model, after lm-evaluation-harness's <c>LM</c> interface: the
/// evaluator knows no backend, so suites are scored the same way for any model (and tests can use a fake).
/// </summary>
public interface ILanguageModel
{
    IReadOnlyList<LoglikelihoodResult> Loglikelihood(IReadOnlyList<LoglikelihoodRequest> requests);

    IReadOnlyList<RollingResult> LoglikelihoodRolling(IReadOnlyList<string> texts);

    /// <summary>Greedy continuation of each prompt, cut before the first of the <paramref name="until"/> strings (and EOS).</summary>
    IReadOnlyList<string> GenerateUntil(IReadOnlyList<string> prompts, IReadOnlyList<string> until, int maxNewTokens);

    /// <summary>Per text, the mean over its positions of KL(reference ‖ this) between next-token distributions.</summary>
    IReadOnlyList<double> KlFrom(ILanguageModel reference, IReadOnlyList<string> texts);
}
