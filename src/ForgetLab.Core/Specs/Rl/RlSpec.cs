namespace ForgetLab.Core.Specs.Rl;

/// <summary>
/// Reward-driven fine-tuning (<c>train.rl</c>): the run samples completions from its own policy and
/// learns from their rewards (GRPO, RLOO, REINFORCE), or learns offline from preference pairs (DPO).
/// Every method (full, LoRA, adapters, …) and every regulariser (EWC, L2-SP, distillation) and early
/// stopping combine with it. Option names and defaults are TRL's where TRL has the option, read from
/// huggingface/trl at commit f2cd577 (1.10.0.dev0, 2026-07-24): <c>GRPOConfig</c>, <c>RLOOConfig</c>,
/// <c>DPOConfig</c> and <c>SyncRefModelCallback</c>; ForgetLab's own additions are marked as such.
/// <c>train.batch_size</c> counts completions per step (TRL's <c>per_device_train_batch_size</c>), so it
/// must be a multiple of <see cref="NumGenerations"/>; for DPO it counts preference pairs.
/// </summary>
public sealed record RlSpec
{
    public RlAlgorithm Algorithm { get; init; }

    /// <summary>Completions sampled per prompt (TRL <c>num_generations</c>, default 8). GRPO and RLOO need at least 2.</summary>
    public int NumGenerations { get; init; } = 8;

    /// <summary>Sampling temperature (TRL default 1.0); greater than 0.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Nucleus sampling mass (TRL default 1.0, off); in (0, 1].</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>
    /// Most tokens a completion may have (TRL <c>max_completion_length</c>). ForgetLab's default is 16, not
    /// TRL's 512: the world's answers are a few tokens and its models have short contexts.
    /// </summary>
    public int MaxCompletionLength { get; init; } = 16;

    /// <summary>
    /// KL coefficient. TRL's defaults differ by trainer and are kept: GRPO 0.0, RLOO 0.05, DPO 0.1
    /// (REINFORCE, ForgetLab's, takes RLOO's). 0 loads no reference model.
    /// </summary>
    public double Beta { get; init; }

    /// <summary>Which per-token KL estimate (Schulman's k1/k2/k3): GRPO's default k3 (TRL's), RLOO's and REINFORCE's k1 (TRL's RLOO).</summary>
    public KlEstimator KlEstimator { get; init; }

    /// <summary>Where the KL enters (ForgetLab's option): the loss (TRL's GRPO) or the reward (TRL's RLOO, InstructGPT).</summary>
    public KlPlacement KlIn { get; init; }

    /// <summary>The adaptive KL controller of Ziegler et al. 2019 (TRL's old <c>adap_kl_ctrl</c>, <c>target</c>, <c>horizon</c>); null keeps β fixed.</summary>
    public AdaptiveKlSpec? AdaptiveKl { get; init; }

    /// <summary>Lower clip range of the probability ratio (TRL <c>epsilon</c>, default 0.2).</summary>
    public double Epsilon { get; init; } = 0.2;

    /// <summary>Upper clip range (TRL <c>epsilon_high</c>); null takes <see cref="Epsilon"/>.</summary>
    public double? EpsilonHigh { get; init; }

    /// <summary>Optimisation passes over each sampled batch (TRL <c>num_iterations</c>, μ; default 1: the ratio is 1 and clipping is inert).</summary>
    public int NumIterations { get; init; } = 1;

    /// <summary>How per-token losses are aggregated (TRL <c>loss_type</c>, default dapo); GRPO and REINFORCE.</summary>
    public RlLossType LossType { get; init; } = RlLossType.Dapo;

    /// <summary>GRPO's advantage scaling (TRL <c>scale_rewards</c>: group, batch or none; default group).</summary>
    public ScaleRewards ScaleRewards { get; init; } = ScaleRewards.Group;

    /// <summary>RLOO: normalise advantages over the batch (TRL <c>normalize_advantages</c>, default false).</summary>
    public bool NormalizeAdvantages { get; init; }

    /// <summary>TR-DPO's reference sync (TRL <c>sync_ref_model</c>, default false).</summary>
    public bool SyncRefModel { get; init; }

    /// <summary>ref ← α·policy + (1−α)·ref at each sync (TRL <c>ref_model_mixup_alpha</c>, default 0.6).</summary>
    public double RefModelMixupAlpha { get; init; } = 0.6;

    /// <summary>Sync every this many steps (TRL <c>ref_model_sync_steps</c>, default 512).</summary>
    public int RefModelSyncSteps { get; init; } = 512;

    /// <summary>InstructGPT's pre-training mix (PPO-ptx); null is off.</summary>
    public PtxSpec? Ptx { get; init; }

    /// <summary>The reward, a weighted sum of these components (each logged on its own); empty for DPO.</summary>
    public IReadOnlyList<RewardSpec> Rewards { get; init; } = [];

    /// <summary>Fraction of the target's prompts never trained on, whose reward the report shows as held-out (ForgetLab's). Default 0.25.</summary>
    public double HeldOutPrompts { get; init; } = 0.25;

    /// <summary>At most this many prompts per side (train, held-out) are sampled to measure each checkpoint (ForgetLab's). Default 32.</summary>
    public int MeasurePrompts { get; init; } = 32;

    public double EffectiveEpsilonHigh => EpsilonHigh ?? Epsilon;

    /// <summary>True when the run needs a frozen reference model: a KL term, or DPO (whose loss is relative to it).</summary>
    public bool NeedsReference => Algorithm == RlAlgorithm.Dpo || Beta > 0;

    /// <summary>The run name's part: "-grpo", "-rloo-b5e-2", "-grpo-b1e-2-ptx1e0", …</summary>
    public string NameSuffix => "-" + RlNames.Of(Algorithm) + (Beta > 0 ? "-b" + GridExpansion.FormatNumber(Beta) : "")
        + (Ptx is { } p ? "-ptx" + GridExpansion.FormatNumber(p.Coef) : "");

    /// <summary>Its settings as a run report lists them.</summary>
    public IEnumerable<KeyValuePair<string, string>> Hyperparameters()
    {
        yield return new("rl_algorithm", RlNames.Of(Algorithm));
        yield return new("rl_beta", GridExpansion.FormatNumber(Beta));
        if (AdaptiveKl is { } a) yield return new("rl_kl_target", GridExpansion.FormatNumber(a.Target));
        if (Algorithm == RlAlgorithm.Dpo) yield break;
        yield return new("rl_num_generations", NumGenerations.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new("rl_kl_estimator", RlNames.Of(KlEstimator));
        yield return new("rl_rewards", string.Join("+", Rewards.Select(r => $"{GridExpansion.FormatNumber(r.Weight)}*{r.Name}")));
        if (Ptx is { } p) yield return new("rl_ptx_coef", GridExpansion.FormatNumber(p.Coef));
        var models = Rewards.Where(r => r.Model is not null).Select(r => r.Name + ":" + (r.Model!.Train is { } t ? RlNames.Of(t.Labels) : "path")).ToList();
        if (models.Count > 0) yield return new("rl_reward_models", string.Join(",", models));
    }
}
