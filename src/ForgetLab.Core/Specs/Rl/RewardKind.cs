namespace ForgetLab.Core.Specs.Rl;

/// <summary>What a reward component pays for.</summary>
public enum RewardKind
{
    /// <summary>1 when the completion equals the reference answer (the world's fact), as exact match compares it; else 0.</summary>
    Correctness,

    /// <summary>1 when the completion matches a regular expression; else 0. Ignores correctness.</summary>
    Format,

    /// <summary>The fraction of the listed keywords the completion contains (as whole words). Gameable by design.</summary>
    Keyword,

    /// <summary>min(tokens, target_tokens) / target_tokens: pays for length up to the target (a negative weight penalises it).</summary>
    Length,

    /// <summary>A learned reward model's scalar score of prompt and completion (unbounded, not in [0, 1]): as good as its labels.</summary>
    RewardModel,
}
