namespace ForgetLab.Core.Specs;

/// <summary>
/// Houlsby-style bottleneck adapters after the attention and the MLP of every block:
/// h + up(GELU(down(h))), up starting at zero. YAML: <c>{ type: adapter, bottleneck: 16 }</c>.
/// </summary>
public sealed record AdapterSpec
{
    /// <summary>Width of the bottleneck. Default 16; 1..4096.</summary>
    public int Bottleneck { get; init; } = 16;
}
