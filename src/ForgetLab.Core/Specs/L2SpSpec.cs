namespace ForgetLab.Core.Specs;

/// <summary>
/// L2-SP (Li et al. 2018): penalty α/2 · ‖θ − θ₀‖² pulling the trained weights towards the
/// starting point rather than towards zero. YAML: <c>train.l2sp: { alpha: 0.01 }</c>.
/// </summary>
public sealed record L2SpSpec : RegularizerSpec
{
    public override string Type => "l2sp";

    public override string NameSuffix => "-l2sp" + GridExpansion.FormatNumber(Alpha);

    public override IEnumerable<KeyValuePair<string, string>> Hyperparameters() =>
        Alpha > 0 ? [new("l2sp_alpha", GridExpansion.FormatNumber(Alpha))] : [];

    /// <summary>Penalty strength α; greater than 0.</summary>
    public double Alpha { get; init; }
}
