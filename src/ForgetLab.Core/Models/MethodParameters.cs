using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Models;

/// <summary>
/// How many parameters a method trains on a model of a given shape, counted from the shape alone, as
/// the engine builds them (PEFT's rules: LoRA's A (r, in) and B (out, r) on every matching projection,
/// <c>target_modules</c> matched on the end of the module path; bottleneck adapters after attention and
/// MLP). Null for a method whose count depends on more than the shape (prefix, (IA)³, freeze): the
/// engine counts those after applying the method.
/// </summary>
public static class MethodParameters
{
    public static long? Trainable(ModelShape shape, MethodSpec method) => method switch
    {
        FullSpec => shape.Parameters,
        LoraSpec lora => AdaptedProjections(shape, lora.TargetModules).Sum(p => (long)lora.Rank * (p.InFeatures + p.OutFeatures)),
        AdapterSpec adapter => shape.LayerCount * 2L * (2L * shape.HiddenSize * adapter.Bottleneck + adapter.Bottleneck + shape.HiddenSize),
        BitFitSpec => BiasParameters(shape),
        _ => null,
    };

    /// <summary>The projections (over all layers) that PEFT's <c>target_modules</c> select; <c>all-linear</c> is every one.</summary>
    public static IReadOnlyList<ModelProjection> AdaptedProjections(ModelShape shape, IReadOnlyList<string> targetModules)
    {
        var layers = shape.IsGpt2 ? "transformer.h" : "model.layers";
        var all = targetModules.Contains("all-linear");
        return Enumerable.Range(0, shape.LayerCount)
            .SelectMany(i => shape.Projections.Where(p => all || targetModules.Any(m => Matches($"{layers}.{i}.{p.Path}", m))))
            .ToList();
    }

    private static bool Matches(string path, string module) => path == module || path.EndsWith("." + module, StringComparison.Ordinal);

    private static long BiasParameters(ModelShape shape) =>
        shape.LayerCount * (shape.Projections.Where(p => p.HasBias).Sum(p => p.OutFeatures) + (shape.IsGpt2 ? 2L * shape.HiddenSize : 0))
        + (shape.IsGpt2 ? shape.HiddenSize : 0);
}
