namespace ForgetLab.Core.Specs;

/// <summary>Full fine-tuning: every weight is trained. YAML: <c>full</c> or <c>{ type: full }</c>.</summary>
public sealed record FullSpec : MethodSpec
{
    public override string Type => "full";

    private protected override string DerivedLabel => "full";

    internal static MethodKind Kind { get; } = new("full", [], (_, _) => new FullSpec(), () => new FullSpec());
}
