using System.Text.RegularExpressions;
using ForgetLab.Core.Specs.Rl;
using ForgetLab.Lab.Evaluation;

namespace ForgetLab.Lab.Rl;

/// <summary>A sampled completion as the rewards see it: its decoded text, its token count, and the prompt's reference answer.</summary>
public sealed record Completion(string Text, int Tokens, string Reference);

/// <summary>Each component's value for one completion (unweighted) and the weighted sum that is the reward.</summary>
public sealed record RewardBreakdown(double Total, IReadOnlyList<double> Components);

/// <summary>
/// The run's declared reward: Σ weight_i · component_i (TRL's <c>reward_weights</c> over its reward functions),
/// each component in [0, 1]. Correctness compares as the exact-match suites do (<see cref="SuiteEvaluator"/>'s
/// normalisation), so the reward and the target suite agree on what a right answer is; format, keyword and length
/// ignore correctness, which is how the seed's flawed rewards are written down.
/// </summary>
public sealed class RewardFunction(IReadOnlyList<RewardSpec> components)
{
    private readonly Regex?[] patterns = components.Select(c => c.Pattern is { } p ? new Regex(p, RegexOptions.None, TimeSpan.FromMilliseconds(100)) : null).ToArray();

    public IReadOnlyList<RewardSpec> Components => components;

    public IReadOnlyList<string> Names => components.Select(c => c.Name).ToList();

    public RewardBreakdown Score(Completion completion)
    {
        var values = new double[components.Count];
        var total = 0.0;
        for (var i = 0; i < components.Count; i++)
        {
            values[i] = Component(i, completion);
            total += components[i].Weight * values[i];
        }
        return new RewardBreakdown(total, values);
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
