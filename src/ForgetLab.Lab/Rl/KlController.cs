using ForgetLab.Core.Specs.Rl;

namespace ForgetLab.Lab.Rl;

/// <summary>
/// The KL coefficient β: fixed, or Ziegler et al. 2019's adaptive controller as TRL's old
/// <c>AdaptiveKLController.update</c> wrote it: e = clip(KL/target − 1, −0.2, 0.2), β ← β·(1 + e·n/horizon),
/// where KL is the step's mean KL per completion and n the step's completions. Its value is resume state.
/// </summary>
public sealed class KlController(double beta, AdaptiveKlSpec? adaptive)
{
    public double Beta { get; set; } = beta;

    public bool Adaptive => adaptive is not null;

    /// <summary>After a step whose completions had mean sequence KL <paramref name="meanKl"/>; returns the new β.</summary>
    public double Update(double meanKl, int completions)
    {
        if (adaptive is null) return Beta;
        var error = Math.Clamp(meanKl / adaptive.Target - 1, -0.2, 0.2);
        Beta *= 1 + error * completions / adaptive.Horizon;
        return Beta;
    }
}
