using ForgetLab.Contracts.Models;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Models;
using ForgetLab.Core.Specs;

namespace ForgetLab.Grains.Experiments;

/// <summary>
/// A run's <see cref="RunMemory"/> at submission: Core's <see cref="RunMemoryEstimate"/> of the recipe on the base's shape,
/// beside the spec's declared <c>resources.memory_gb</c> (which the pool places with when given).
/// </summary>
internal static class RunMemories
{
    public static (RunRecipe Recipe, RunMemory Memory) For(LabSpec spec, RunRecipe recipe, (BaseModelShape? Shape, string? Why) baseShape)
    {
        var declared = spec.Resources.MemoryBytes;
        if (baseShape.Shape is not { } shape) return (recipe, new RunMemory(null, declared, $"no estimate: {baseShape.Why}"));
        var estimate = RunMemoryEstimate.For(shape.Shape, shape.ContextLength, spec, recipe);
        return (recipe, new RunMemory(estimate.Bytes, declared, estimate.Describe()));
    }

    /// <summary>
    /// An evaluation-only run's memory: its model scored at <c>eval.batch_size</c> on the base's shape, float32 (an adapter's
    /// few weights beside the base's are not counted).
    /// </summary>
    public static RunMemory ForEvaluation(LabSpec spec, (BaseModelShape? Shape, string? Why) baseShape)
    {
        var declared = spec.Resources.MemoryBytes;
        if (baseShape.Shape is not { } shape) return new RunMemory(null, declared, $"no estimate: {baseShape.Why}");
        var estimate = MemoryEstimate.ForEvaluation(shape.Shape, spec.Eval.BatchSize, shape.ContextLength);
        var describe = $"{RunMemoryEstimate.Size(estimate.TotalBytes)} at evaluation ({shape.ContextLength} tokens a row): weights {RunMemoryEstimate.Size(estimate.WeightBytes)}, " +
            $"activations {RunMemoryEstimate.Size(estimate.ActivationBytes)}, runtime {RunMemoryEstimate.Size(estimate.RuntimeBytes)}";
        return new RunMemory(estimate.TotalBytes, declared, describe);
    }

    /// <summary>A registered model's shape from what the registry recorded; null for a record from before the shape was kept.</summary>
    public static BaseModelShape? ShapeOf(ModelArchitecture a) => a.Shape() is { } shape ? new BaseModelShape(shape, a.NPositions) : null;
}
