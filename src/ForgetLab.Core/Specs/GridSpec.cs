namespace ForgetLab.Core.Specs;

/// <summary>
/// The recipes to run: the cartesian product of the axes (method × lr × steps × seed), except that
/// a method with its own lr is not crossed with the lr axis. An axis left out (null) takes its
/// single value from <see cref="TrainSpec"/> (lr, steps) or <see cref="LabSpec.Seed"/>.
/// The consolidation axes (replay ratio, EWC λ, L2-SP α, distillation β) override the matching
/// <see cref="TrainSpec"/> record per run; a value of 0 turns that consolidation off for the run.
/// The reward fine-tuning axes (<c>rl_beta</c>, <c>rl_ptx_coef</c>) override <c>train.rl</c>'s β and
/// pre-training mix per run, and need every run to train with <c>train.rl</c>.
/// </summary>
public sealed record GridSpec
{
    /// <summary>Methods to compare. Default: full fine-tuning only. Never empty.</summary>
    public IReadOnlyList<MethodSpec> Methods { get; init; } = [MethodSpec.Full];

    /// <summary>Learning rates; null means train.lr.</summary>
    public IReadOnlyList<double>? Lr { get; init; }

    /// <summary>Step counts; null means train.steps.</summary>
    public IReadOnlyList<int>? Steps { get; init; }

    /// <summary>Fine-tuning seeds; null means the spec's seed.</summary>
    public IReadOnlyList<int>? Seeds { get; init; }

    /// <summary>Replay ratios (0..0.95); null means train.replay.</summary>
    public IReadOnlyList<double>? Replay { get; init; }

    /// <summary>EWC strengths λ (≥ 0); null means train.ewc.</summary>
    public IReadOnlyList<double>? EwcLambda { get; init; }

    /// <summary>L2-SP strengths α (≥ 0); null means train.l2sp.</summary>
    public IReadOnlyList<double>? L2SpAlpha { get; init; }

    /// <summary>Distillation weights β (≥ 0); null means train.distill.</summary>
    public IReadOnlyList<double>? DistillBeta { get; init; }

    /// <summary>KL coefficients β (≥ 0; 0 loads no reference model); null means train.rl.beta.</summary>
    public IReadOnlyList<double>? RlBeta { get; init; }

    /// <summary>Pre-training mix coefficients (PPO-ptx γ, ≥ 0; 0 turns the mix off); null means train.rl.ptx.</summary>
    public IReadOnlyList<double>? RlPtxCoef { get; init; }
}
