namespace ForgetLab.Core.Specs;

/// <summary>
/// One recipe of a one-at-a-time comparison (an ablation): the spec's train settings with some
/// fields replaced, and optionally one method instead of the grid's method axis. Each variant is
/// crossed with the grid's other axes (lr, steps, seed, the consolidation strengths), and its runs'
/// names start with <see cref="Name"/> (e.g. <c>ewc-full-lr1e-4-steps80-seed1-ewc1e2</c>), so
/// "naive vs replay vs EWC" is a list of variants rather than a product of axes.
/// </summary>
public sealed record VariantSpec
{
    /// <summary>Unique among the spec's variants; the same rule as the spec's name.</summary>
    public required string Name { get; init; }

    /// <summary>This variant's method; null keeps the grid's method axis.</summary>
    public MethodSpec? Method { get; init; }

    /// <summary>The spec's train settings with this variant's fields applied (fully resolved).</summary>
    public required TrainSpec Train { get; init; }
}
