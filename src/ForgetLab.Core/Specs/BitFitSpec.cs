namespace ForgetLab.Core.Specs;

/// <summary>BitFit (Ben Zaken et al. 2022): only the biases train. YAML: <c>bitfit</c>.</summary>
public sealed record BitFitSpec : MethodSpec
{
    public override string Type => "bitfit";

    private protected override string DerivedLabel => "bitfit";

    internal static MethodKind Kind { get; } = new("bitfit", [], (_, _) => new BitFitSpec(), () => new BitFitSpec());
}
