namespace ForgetLab.Core.Specs.Rl;

/// <summary>
/// Ziegler et al. 2019's proportional controller: after each step with mean sequence KL <c>KL</c> over n
/// completions, e = clip(KL/target − 1, −0.2, 0.2) and β ← β·(1 + e·n/horizon). β starts at <c>rl.beta</c>.
/// Defaults are TRL's old PPOConfig (<c>target</c> 6, <c>horizon</c> 10000).
/// </summary>
public sealed record AdaptiveKlSpec
{
    /// <summary>The KL per completion (nats, summed over its tokens) the controller steers to; greater than 0.</summary>
    public double Target { get; init; } = 6;

    /// <summary>Completions over which β may move by about e; at least 1.</summary>
    public double Horizon { get; init; } = 10000;
}
