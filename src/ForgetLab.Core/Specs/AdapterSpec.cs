namespace ForgetLab.Core.Specs;

/// <summary>
/// Houlsby-style bottleneck adapters after the attention and the MLP of every block:
/// h + up(GELU(down(h))), up starting at zero. YAML: <c>{ type: adapter, bottleneck: 16 }</c>.
/// </summary>
public sealed record AdapterSpec : MethodSpec
{
    /// <summary>Width of the bottleneck. Default 16; 1..4096.</summary>
    public int Bottleneck { get; init; } = 16;

    public override string Type => "adapter";

    private protected override string DerivedLabel => "adapter-b" + Text(Bottleneck);

    public override IEnumerable<KeyValuePair<string, string>> Hyperparameters() => [new("adapter_bottleneck", Text(Bottleneck))];

    internal static MethodKind Kind { get; } = new("adapter", ["bottleneck"], Read, () => new AdapterSpec());

    private static AdapterSpec? Read(YamlFields m, SpecErrorList errors)
    {
        var bottleneck = m.Int("bottleneck", new AdapterSpec().Bottleneck, 1, 4096);
        return bottleneck is null ? null : new AdapterSpec { Bottleneck = bottleneck.Value };
    }
}
