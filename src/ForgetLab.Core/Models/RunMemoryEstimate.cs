using System.Globalization;
using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Models;

/// <summary>
/// What one run of an experiment needs in memory at its peak, from its spec and its base's shape: the largest of the
/// phases its job goes through, each a <see cref="MemoryEstimate"/>. The platform computes it at submission and places
/// the run only on a device that has it (unless the spec declares <c>resources.memory_gb</c>, which wins).
/// <list type="bullet">
/// <item><b>pre-training</b> a built-in world's base (a job whose worker has no cached copy does it): full training at
/// <c>pretrain.batch_size</c>, float32;</item>
/// <item><b>fine-tuning</b> at <c>train.batch_size</c> with the run's method, compute dtype and gradient checkpointing, plus
/// what its consolidation terms hold (<see cref="ConsolidationBytes"/>);</item>
/// <item><b>evaluating</b> a checkpoint, which the job does with the fine-tuning's weights, gradients and AdamW moments
/// still alive, at <c>eval.batch_size</c> in float32 (evaluation is float32 whatever the run trains in).</item>
/// </list>
/// Every phase is sized at the base's context length: the longest row the model takes. Fine-tuning rows are padded to
/// the longest in their batch, so a short-example target needs less; replay, EWC and distillation batches are packed to
/// the full context. A base with a long context (a real model's 8k–128k) is therefore sized for rows that long, and its
/// spec should declare <c>resources.memory_gb</c> for the lengths it really trains on.
/// </summary>
/// <param name="Bytes">The peak: the largest phase.</param>
/// <param name="Phase">Which phase that is: "pre-training", "fine-tuning" or "evaluation".</param>
/// <param name="Peak">That phase's terms (for a fine-tuning or evaluation peak, without <see cref="ConsolidationBytes"/>).</param>
/// <param name="ConsolidationBytes">
/// What the run's consolidation terms hold besides the model: EWC's Fisher and anchor and L2-SP's θ₀ (one float32 per
/// trainable parameter each; θ₀ is shared), distillation's frozen copy of the base, its logits and the student's second
/// forward on a general-text batch. Counted from what the terms keep, not measured (docs/benchmarks.md measures the rest).
/// </param>
public sealed record RunMemoryEstimate(long Bytes, string Phase, MemoryEstimate Peak, long ConsolidationBytes, int SequenceLength)
{
    private const int Float32 = 4;

    /// <summary>
    /// The estimate of <paramref name="recipe"/>, a run of <paramref name="spec"/>'s grid, on a base of <paramref name="shape"/>
    /// whose context is <paramref name="contextLength"/> tokens.
    /// </summary>
    public static RunMemoryEstimate For(ModelShape shape, int contextLength, LabSpec spec, RunRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 1);
        var train = recipe.Train;
        var trainable = TrainableParameters(shape, recipe.Method);
        var fineTuning = MemoryEstimate.ForTraining(shape, recipe.Method, train.BatchSize, contextLength, train.ComputeDtype,
            train.GradientCheckpointing, trainable);
        var consolidation = Consolidation(shape, contextLength, train, trainable);
        var evaluation = fineTuning with { ActivationBytes = MemoryEstimate.ForEvaluation(shape, spec.Eval.BatchSize, contextLength).ActivationBytes };

        var phases = new List<(string Phase, MemoryEstimate Estimate, long Extra)>
        {
            ("fine-tuning", fineTuning, consolidation),
            ("evaluation", evaluation, consolidation),
        };
        if (spec.Base.IsPretrained)
            phases.Add(("pre-training", MemoryEstimate.ForTraining(shape, MethodSpec.Full, spec.Base.Pretrain.BatchSize, contextLength, ComputeDtype.Float32), 0));
        var peak = phases.MaxBy(p => p.Estimate.TotalBytes + p.Extra);
        return new RunMemoryEstimate(peak.Estimate.TotalBytes + peak.Extra, peak.Phase, peak.Estimate, peak.Extra, contextLength);
    }

    /// <summary>One line for the run's API resource and page: the peak, its phase and its terms.</summary>
    public string Describe()
    {
        var p = Peak;
        var consolidation = ConsolidationBytes > 0 ? $", consolidation {Size(ConsolidationBytes)}" : "";
        return $"{Size(Bytes)} at {Phase} ({SequenceLength} tokens a row): weights {Size(p.WeightBytes + p.ComputeCopyBytes)}, gradients {Size(p.GradientBytes)}, " +
            $"optimizer {Size(p.OptimizerBytes)}, activations {Size(p.ActivationBytes)}{consolidation}, runtime {Size(p.RuntimeBytes)}";
    }

    /// <summary>Bytes in the unit people read them in (GiB from 1 GiB up, MiB below), one decimal.</summary>
    public static string Size(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB");

    /// <summary>
    /// The parameters <paramref name="method"/> trains: <see cref="MethodParameters.Trainable"/>, and for the methods it leaves
    /// to the engine, counted as the engine builds them: prefix tuning's key and value prefixes and gate per layer, (IA)³'s
    /// vector per target module (an input-wide one for a feed-forward module), freezing's trained blocks.
    /// </summary>
    public static long TrainableParameters(ModelShape shape, MethodSpec method) => MethodParameters.Trainable(shape, method) ?? method switch
    {
        PrefixSpec prefix => shape.LayerCount * (2L * shape.HeadCount * prefix.NumVirtualTokens * shape.HeadDim + shape.HeadCount),
        Ia3Spec ia3 => MethodParameters.AdaptedProjections(shape, ia3.TargetModules)
            .Sum(p => ia3.FeedforwardModules.Any(f => p.Path == f || p.Path.EndsWith("." + f, StringComparison.Ordinal)) ? p.InFeatures : p.OutFeatures),
        FreezeSpec freeze => freeze.TrainableLayers.Count * (shape.Projections.Sum(p => p.Parameters) + shape.NormParametersPerLayer),
        _ => shape.Parameters,
    };

    private static long Consolidation(ModelShape shape, int contextLength, TrainSpec train, long trainable)
    {
        long bytes = 0;
        if (train.Ewc is not null || train.L2Sp is not null) bytes += trainable * Float32;      // θ₀, captured once for both
        if (train.Ewc is not null) bytes += trainable * Float32;                                // the diagonal Fisher
        if (train.Distill is not null)
        {
            var tokens = (long)train.BatchSize * contextLength;
            bytes += shape.Parameters * Float32                                                 // the frozen teacher
                + tokens * shape.VocabSize * Float32                                            // its logits on the general batch
                + tokens * MemoryEstimate.ActivationsPerToken(shape, train.ComputeDtype, train.GradientCheckpointing); // the student's second forward, kept for backward
        }
        return bytes;
    }
}
