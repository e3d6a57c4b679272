using ForgetLab.Core.Specs.Rl;

namespace ForgetLab.Core.Specs;

/// <summary>
/// Fine-tuning settings. In a spec these are the defaults for every run of the grid; in a
/// <see cref="RunRecipe"/> they are the run's resolved settings (lr and steps from the grid).
/// Consolidation settings (replay, EWC, L2-SP, distillation, early stopping) are optional records,
/// each null ("off") unless the spec or the grid sets it.
/// </summary>
public sealed record TrainSpec
{
    /// <summary>Optimizer steps. Default 100; 1..1,000,000.</summary>
    public int Steps { get; init; } = 100;

    /// <summary>Sequences per step. Default 16; 1..4096.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Peak learning rate. Default 1e-4; in (0, 1].</summary>
    public double Lr { get; init; } = 1e-4;

    /// <summary>Linear warm-up steps. Default 10; at most <see cref="Steps"/> (and every grid steps value).</summary>
    public int WarmupSteps { get; init; } = 10;

    /// <summary>Schedule after warm-up. Default cosine.</summary>
    public LrSchedule Schedule { get; init; } = LrSchedule.Cosine;

    /// <summary>AdamW weight decay. Default 0; 0..1.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Gradient-norm clip; 0 turns clipping off. Default 1.0; 0..1000.</summary>
    public double GradClip { get; init; } = 1.0;

    /// <summary>Save and evaluate a checkpoint every this many steps (and always at the end). Default 50; 1..1,000,000.</summary>
    public int CheckpointEvery { get; init; } = 50;

    /// <summary>Experience replay of pre-training rows; null is off.</summary>
    public ReplaySpec? Replay { get; init; }

    /// <summary>Elastic weight consolidation; null is off.</summary>
    public EwcSpec? Ewc { get; init; }

    /// <summary>L2-SP penalty towards the starting weights; null is off.</summary>
    public L2SpSpec? L2Sp { get; init; }

    /// <summary>Distillation from the frozen base on general text; null is off.</summary>
    public DistillSpec? Distill { get; init; }

    /// <summary>The regularisers that are on (EWC, L2-SP, distillation, in that order: their terms are summed in it).</summary>
    public IEnumerable<RegularizerSpec> Regularizers() => new RegularizerSpec?[] { Ewc, L2Sp, Distill }.OfType<RegularizerSpec>();

    /// <summary>Stop when a watched suite drops past a threshold; null is off.</summary>
    public EarlyStoppingSpec? EarlyStopping { get; init; }

    /// <summary>Where AdamW's moments start. Default fresh.</summary>
    public OptimizerState OptimizerState { get; init; } = OptimizerState.Fresh;

    /// <summary>
    /// Precision of the run's matrix products (<c>train.compute_dtype</c>); weights, gradients and AdamW's
    /// moments stay float32. Default float32. Evaluation is float32 whatever the run trained in, so the
    /// baseline every run is compared against is one and the same.
    /// </summary>
    public ComputeDtype ComputeDtype { get; init; } = ComputeDtype.Float32;

    /// <summary>
    /// Keep only each decoder layer's input during the forward and recompute its activations in backward
    /// (<c>train.gradient_checkpointing</c>): less memory for about one more forward of time, same gradients. Default false.
    /// </summary>
    public bool GradientCheckpointing { get; init; }

    /// <summary>Reward fine-tuning (<c>train.rl</c>: GRPO, RLOO, REINFORCE, DPO) instead of supervised fine-tuning; null is supervised.</summary>
    public RlSpec? Rl { get; init; }
}
