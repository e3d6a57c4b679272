using System.Text.RegularExpressions;
using ForgetLab.Core.Specs.Rl;
using ForgetLab.Lab.Evaluation;

namespace ForgetLab.Lab.Rl;

/// <summary>
/// A sampled completion as the rewards see it: its decoded text, its token count, and the prompt's reference answer;
/// a reward model also reads the prompt's ids and the completion's ids (without its EOS).
/// </summary>
public sealed record Completion(string Text, int Tokens, string Reference)
{
    public int[] PromptIds { get; init; } = [];

    public int[] CompletionIds { get; init; } = [];
}

/// <summary>Each component's value for one completion (unweighted) and the weighted sum that is the reward.</summary>
public sealed record RewardBreakdown(double Total, IReadOnlyList<double> Components);

/// <summary>
/// The run's declared reward: Σ weight_i · component_i (TRL's <c>reward_weights</c> over its reward functions),
/// each rule-based component in [0, 1]. Correctness compares as the exact-match suites do (<see cref="SuiteEvaluator"/>'s
/// normalisation), so the reward and the target suite agree on what a right answer is; format, keyword and length
/// ignore correctness, which is how the seed's flawed rewards are written down. A reward model's component is its
/// unbounded scalar score (not in [0, 1]), as good or as biased as the labels it was trained on.
/// </summary>
/// <param name="models">The loaded reward model of each <c>reward_model</c> component, by component name.</param>
public sealed class RewardFunction(IReadOnlyList<RewardSpec> components, IReadOnlyDictionary<string, RewardModels.RewardModel>? models = null)
{
    private readonly Regex?[] patterns = components.Select(c => c.Pattern is { } p ? new Regex(p, RegexOptions.None, TimeSpan.FromMilliseconds(100)) : null).ToArray();

    public IReadOnlyList<RewardSpec> Components => components;

    public IReadOnlyList<string> Names => components.Select(c => c.Name).ToList();

    public RewardBreakdown Score(Completion completion) => ScoreAll([completion])[0];

    /// <summary>Scores a batch: each reward model runs once over all of it, the other components per completion.</summary>
    public IReadOnlyList<RewardBreakdown> ScoreAll(IReadOnlyList<Completion> completions)
    {
        var values = completions.Select(_ => new double[components.Count]).ToArray();
        for (var i = 0; i < components.Count; i++)
        {
            if (components[i].Kind == RewardKind.RewardModel)
            {
                var model = models?.GetValueOrDefault(components[i].Name)
                    ?? throw new InvalidOperationException($"reward component '{components[i].Name}' is a reward_model, but no reward model was loaded for it");
                var scores = model.Score(completions.Select(c => model.Sequence(c.PromptIds, c.CompletionIds)).ToList());
                for (var j = 0; j < completions.Count; j++) values[j][i] = scores[j];
            }
            else
            {
                for (var j = 0; j < completions.Count; j++) values[j][i] = Component(i, completions[j]);
            }
        }
        return values.Select(v => new RewardBreakdown(v.Select((x, i) => components[i].Weight * x).Sum(), v)).ToList();
    }

    private double Component(int i, Completion c)
    {
        var spec = components[i];
        return spec.Kind switch
        {
            RewardKind.Correctness => SuiteEvaluator.Normalise(c.Text) == SuiteEvaluator.Normalise(c.Reference) ? 1 : 0,
            RewardKind.Format => Matches(patterns[i]!, c.Text) ? 1 : 0,
            RewardKind.Keyword => KeywordShare(spec.Keywords, c.Text),
            RewardKind.Length => Math.Min(c.Tokens, spec.TargetTokens) / (double)spec.TargetTokens,
            RewardKind.RewardModel => throw new InvalidOperationException("reward models score in batches (ScoreAll)"),
            _ => throw new ArgumentOutOfRangeException(nameof(i), spec.Kind, null),
        };
    }

    /// <summary>A pattern that runs past its time limit pays nothing rather than stalling the run.</summary>
    private static bool Matches(Regex pattern, string text)
    {
        try
        {
            return pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static double KeywordShare(IReadOnlyList<string> keywords, string text)
    {
        if (keywords.Count == 0) return 0;
        var words = text.ToLowerInvariant().Split([' ', '.', ',', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return keywords.Count(k => words.Contains(k.ToLowerInvariant())) / (double)keywords.Count;
    }
}
