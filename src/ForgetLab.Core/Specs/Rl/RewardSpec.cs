namespace ForgetLab.Core.Specs.Rl;

/// <summary>
/// One declared reward component: <c>{ kind, weight, name, pattern | keywords | target_tokens | path | train }</c>. The run's
/// reward is Σ weight · component; each component's mean is reported on its own.
/// </summary>
public sealed record RewardSpec
{
    public RewardKind Kind { get; init; }

    /// <summary>Its name in the report; defaults to the kind's. Unique within the run.</summary>
    public string Name { get; init; } = "";

    /// <summary>Weight in the sum (TRL <c>reward_weights</c>); any finite value, default 1.</summary>
    public double Weight { get; init; } = 1;

    /// <summary>Format: the regular expression (.NET syntax) the completion's text must match.</summary>
    public string? Pattern { get; init; }

    /// <summary>Keyword: the words paid for.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>Length: the token count at which the component reaches 1.</summary>
    public int TargetTokens { get; init; } = 8;

    /// <summary>Reward model: where it comes from (a trained folder, or how to train it).</summary>
    public RewardModelSpec? Model { get; init; }
}
