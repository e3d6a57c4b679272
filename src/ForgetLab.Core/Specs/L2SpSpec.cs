namespace ForgetLab.Core.Specs;

/// <summary>
/// L2-SP (Li et al. 2018): penalty α/2 · ‖θ − θ₀‖² pulling the trained weights towards the
/// starting point rather than towards zero. YAML: <c>train.l2sp: { alpha: 0.01 }</c>.
/// </summary>
public sealed record L2SpSpec
{
    /// <summary>Penalty strength α; greater than 0.</summary>
    public double Alpha { get; init; }
}
