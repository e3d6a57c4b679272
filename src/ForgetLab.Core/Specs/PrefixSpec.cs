namespace ForgetLab.Core.Specs;

/// <summary>
/// Prefix tuning: trainable key/value prefixes in every attention layer, read through a per-head
/// gate that starts at zero. YAML: <c>{ type: prefix, num_virtual_tokens: 10 }</c>.
/// </summary>
public sealed record PrefixSpec
{
    /// <summary>Virtual tokens per layer. Default 10; 1..512.</summary>
    public int NumVirtualTokens { get; init; } = 10;
}
