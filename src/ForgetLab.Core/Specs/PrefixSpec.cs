namespace ForgetLab.Core.Specs;

/// <summary>
/// Prefix tuning: trainable key/value prefixes in every attention layer, read through a per-head
/// gate that starts at zero. YAML: <c>{ type: prefix, num_virtual_tokens: 10 }</c>.
/// </summary>
public sealed record PrefixSpec : MethodSpec
{
    /// <summary>Virtual tokens per layer. Default 10; 1..512.</summary>
    public int NumVirtualTokens { get; init; } = 10;

    public override string Type => "prefix";

    private protected override string DerivedLabel => "prefix-p" + Text(NumVirtualTokens);

    public override IEnumerable<KeyValuePair<string, string>> Hyperparameters() => [new("prefix_virtual_tokens", Text(NumVirtualTokens))];

    internal static MethodKind Kind { get; } = new("prefix", ["num_virtual_tokens"], Read, () => new PrefixSpec());

    private static PrefixSpec? Read(YamlFields m, SpecErrorList errors)
    {
        var tokens = m.Int("num_virtual_tokens", new PrefixSpec().NumVirtualTokens, 1, 512);
        return tokens is null ? null : new PrefixSpec { NumVirtualTokens = tokens.Value };
    }
}
