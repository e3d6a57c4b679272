using System.Diagnostics;
using ForgetLab.Core.Specs.Rl;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Peft;
using ForgetLab.Lab.Training;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Rl;

/// <summary>
/// The reward fine-tuning loop (<c>train.rl</c>), one family for GRPO, RLOO, REINFORCE and DPO, on any method's
/// trainable parameters and with any regulariser as <see cref="ExtraLoss"/>. A sampling step draws
/// <c>batch_size / num_generations</c> prompts, samples <c>num_generations</c> completions of each from the policy
/// (<see cref="TokenSampler"/> through the evaluator's KV-cached generation), scores them (<see cref="RewardFunction"/>),
/// optionally subtracts β·KL from the reward, turns rewards into advantages (<see cref="Advantages"/>) and takes
/// <c>num_iterations</c> optimizer steps on that batch (<see cref="PolicyLoss"/>; the clipped ratio matters from the
/// second pass). As in TRL, <c>train.steps</c> counts optimizer steps: a new batch is sampled every
/// <c>num_iterations</c> of them. A DPO step takes <c>batch_size</c> preference pairs (<see cref="DpoLoss"/>).
/// The reference model is loaded only when β &gt; 0 or for DPO, and then synced (TR-DPO) when asked.
/// Checkpoints hold, besides the supervised trainer's state, the sampling RNG, β and a synced reference,
/// so a resumed run is exact; a preempted run checkpoints so at the end of the batch it is on (<see cref="CheckpointRequested"/>).
/// </summary>
public sealed class RlTrainer(
    CausalLanguageModel policy, IReadOnlyList<Parameter> trainable, IPeftMethod? peft, RlSpec rl, TrainSettings settings, ITokenizer tokenizer)
{
    private readonly int eos = tokenizer.EosId ?? throw new InvalidOperationException("reward fine-tuning needs a tokenizer with an EOS token (completions end at it)");
    private CausalLanguageModel? reference;

    /// <summary>The prompts the run trains on (sampling algorithms).</summary>
    public IReadOnlyList<RlPrompt> Prompts { get; init; } = [];

    /// <summary>The preference pairs (DPO).</summary>
    public IReadOnlyList<PreferencePair> Pairs { get; init; } = [];

    /// <summary>The declared reward (sampling algorithms).</summary>
    public RewardFunction? Reward { get; init; }

    /// <summary>Builds the frozen reference (a copy of the starting model); called only when the run needs one.</summary>
    public Func<CausalLanguageModel>? LoadReference { get; init; }

    /// <summary>Pre-training text for the PPO-ptx term (<c>rl.ptx</c>); required when it is on.</summary>
    public IBatchSource? PtxText { get; init; }

    /// <summary>Regularisers' summed term (EWC, L2-SP, distillation), added to every step's loss.</summary>
    public Func<Tensor>? ExtraLoss { get; init; }

    /// <summary>Called after each checkpoint is written; return false to stop early.</summary>
    public Func<SavedCheckpoint, bool>? OnCheckpoint { get; init; }

    public IProgress<TrainProgress>? Progress { get; init; }

    /// <summary>
    /// As <see cref="Trainer.CheckpointRequested"/>: asked after every step that ends a sampled batch's passes (every step for DPO), so a
    /// checkpoint never falls inside a batch; when true, a checkpoint of the whole state (weights, optimizer, sampling RNG, β, a synced
    /// reference) is saved at that step, handed to <see cref="OnPreemptionCheckpoint"/> unscored, and <see cref="TrainingPreempted"/> is
    /// thrown. Not asked at the last step.
    /// </summary>
    public Func<bool>? CheckpointRequested { get; init; }

    /// <summary>Hears the checkpoint saved for a preemption, before training stops.</summary>
    public Action<SavedCheckpoint>? OnPreemptionCheckpoint { get; init; }

    /// <summary>Where AdamW's moments start (<c>optimizer_state: pretrain</c>), as for <see cref="Trainer.InitialOptimizerState"/>.</summary>
    public string? InitialOptimizerState { get; init; }

    /// <summary>How many forwards the reference model has run: 0 for a run with β 0 (no reference is even loaded).</summary>
    public int ReferenceForwards { get; private set; }

    /// <summary>The KL coefficient now (it moves under the adaptive controller).</summary>
    public double Beta => controller.Beta;

    public IReadOnlyList<RlStepLog> Log => log;

    private readonly KlController controller = new(rl.Beta, rl.AdaptiveKl);
    private readonly TokenSampler sampler = new(rl.Temperature, rl.TopP, (ulong)settings.Seed * 0x9E3779B97F4A7C15UL + 0x5EED);
    private readonly SplitMix64 promptRng = new((ulong)settings.Seed);
    private readonly List<RlStepLog> log = [];

    public TrainingOutcome Run(string? runDirectory, string? resumeFrom = null)
    {
        Check();
        // Before seeding: building a model draws from torch's generator, and the run's draws must not depend on it.
        if (rl.NeedsReference) reference = LoadFrozenReference();
        random.manual_seed(settings.Seed);
        using var optimizer = optim.AdamW(trainable, lr: settings.Lr, weight_decay: settings.WeightDecay);
        try
        {
            return Train(optimizer, runDirectory, resumeFrom);
        }
        finally
        {
            reference?.Dispose();
            reference = null;
        }
    }

    private TrainingOutcome Train(OptimizerHelper optimizer, string? runDirectory, string? resumeFrom)
    {
        var losses = new List<StepLoss>();
        var checkpoints = new List<SavedCheckpoint>();
        var start = 0;
        if (resumeFrom is not null)
        {
            var state = TrainingCheckpoint.Load(resumeFrom, policy, peft, optimizer);
            start = state.Step;
            promptRng.State = state.SamplerState;
            losses.AddRange(state.Losses);
            var rlState = RlTrainerState.Read(resumeFrom);
            sampler.State = rlState.SamplingRng;
            if (PtxText is not null) PtxText.SamplerState = rlState.PtxSamplerState;
            controller.Beta = rlState.Beta;
            log.AddRange(rlState.Log);
            var synced = Path.Combine(resumeFrom, RlTrainerState.ReferenceFile);
            if (reference is not null && File.Exists(synced)) reference.load_safetensors(synced, strict: true);
        }
        else if (InitialOptimizerState is not null)
        {
            Trainer.LoadInitialOptimizerState(optimizer, InitialOptimizerState, settings.WeightDecay);
        }

        var schedule = settings.LrSchedule;
        var compute = Autocast.Of(settings.ComputeDtype);
        var generation = new TorchLanguageModel(policy, tokenizer, batchSize: Math.Max(1, settings.BatchSize));
        policy.train();
        policy.GradientCheckpointing = settings.GradientCheckpointing;
        var clock = Stopwatch.StartNew();
        long tokens = 0;
        SampledBatch? batch = null;
        for (var step = start + 1; step <= settings.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var stepStart = Stopwatch.GetTimestamp();
            var lr = schedule.At(step);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;

            float value;
            RlStepLog entry;
            if (rl.Algorithm == RlAlgorithm.Dpo)
            {
                (value, entry) = DpoStep(step, optimizer, compute);
            }
            else
            {
                if ((step - 1) % rl.NumIterations == 0)
                {
                    batch?.Dispose();
                    batch = Sample(generation);
                }
                (value, entry) = PolicyStep(step, batch!, optimizer, compute);
                // Ziegler et al.'s controller moves β once per sampled batch, after the step that used it.
                if ((step - 1) % rl.NumIterations == 0 && batch!.MeanKl is { } kl) controller.Update(kl, settings.BatchSize);
            }
            if (!float.IsFinite(value))
            {
                batch?.Dispose();
                return new TrainingOutcome(TrainingStatus.Diverged, losses, checkpoints, Rate(tokens, clock), $"loss was {value} at step {step}");
            }
            if (rl.SyncRefModel && reference is not null && step % rl.RefModelSyncSteps == 0) SyncReference();
            tokens += (long)(entry.CompletionLength * settings.BatchSize);
            losses.Add(new StepLoss(step, value, lr));
            log.Add(entry);
            Progress?.Report(new TrainProgress(step, settings.Steps, value, Rate(tokens, clock))
            {
                StepTokens = (long)(entry.CompletionLength * settings.BatchSize),
                StepSeconds = Stopwatch.GetElapsedTime(stepStart).TotalSeconds,
                Rl = entry,
            });

            var due = step == settings.Steps || (settings.CheckpointEvery > 0 && step % settings.CheckpointEvery == 0);
            if (due && runDirectory is not null)
            {
                var dir = Path.Combine(runDirectory, TrainingCheckpoint.FolderName(step));
                TrainingCheckpoint.Save(dir, policy, peft, optimizer, new TrainerState(step, promptRng.State, losses, settings), SaveRlState);
                var saved = new SavedCheckpoint(step, dir);
                checkpoints.Add(saved);
                if (OnCheckpoint is not null && !OnCheckpoint(saved) && step < settings.Steps)
                {
                    batch?.Dispose();
                    return new TrainingOutcome(TrainingStatus.StoppedEarly, losses, checkpoints, Rate(tokens, clock), $"stopped at step {step}");
                }
                policy.train();   // scoring the checkpoint left it in eval mode
            }

            var endsBatch = rl.Algorithm == RlAlgorithm.Dpo || step % rl.NumIterations == 0;
            if (step < settings.Steps && runDirectory is not null && endsBatch && CheckpointRequested?.Invoke() == true)
            {
                // The state a scheduled checkpoint holds, so the resumed run samples and trains on exactly as this one would have.
                var dir = Path.Combine(runDirectory, TrainingCheckpoint.FolderName(step));
                if (!due) TrainingCheckpoint.Save(dir, policy, peft, optimizer, new TrainerState(step, promptRng.State, losses, settings), SaveRlState);
                batch?.Dispose();
                OnPreemptionCheckpoint?.Invoke(new SavedCheckpoint(step, dir));
                throw new TrainingPreempted(step);
            }
        }
        batch?.Dispose();
        return new TrainingOutcome(TrainingStatus.Completed, losses, checkpoints, Rate(tokens, clock));
    }

    private void Check()
    {
        if (rl.Algorithm == RlAlgorithm.Dpo)
        {
            if (Pairs.Count == 0) throw new InvalidOperationException("DPO needs preference pairs");
        }
        else
        {
            if (Prompts.Count == 0) throw new InvalidOperationException("reward fine-tuning needs prompts to sample from");
            if (Reward is null) throw new InvalidOperationException("reward fine-tuning needs a reward");
            if (settings.BatchSize % rl.NumGenerations != 0)
                throw new InvalidOperationException($"train.batch_size ({settings.BatchSize}) must be a multiple of rl.num_generations ({rl.NumGenerations})");
            if (rl.NumIterations > 1 && settings.CheckpointEvery % rl.NumIterations != 0)
                throw new InvalidOperationException($"train.checkpoint_every ({settings.CheckpointEvery}) must be a multiple of rl.num_iterations ({rl.NumIterations}), so a checkpoint never falls inside a sampled batch's passes");
        }
        if (rl.Ptx is not null && PtxText is null) throw new InvalidOperationException("rl.ptx needs pre-training text");
        if (rl.NeedsReference && LoadReference is null) throw new InvalidOperationException("this run needs a reference model");
    }

    private CausalLanguageModel LoadFrozenReference()
    {
        var model = LoadReference!();
        foreach (var p in model.parameters()) p.requires_grad = false;
        model.eval();
        return model;
    }

    private void SaveRlState(string directory)
    {
        new RlTrainerState(sampler.State, PtxText?.SamplerState ?? 0, controller.Beta, [.. log]).Write(directory);
        if (rl.SyncRefModel && reference is not null)
            Safetensors.SaveStateDict(Path.Combine(directory, RlTrainerState.ReferenceFile), reference.state_dict());
    }

    /// <summary>
    /// TRL's <c>SyncRefModelCallback</c>: ref ← α·policy + (1−α)·ref. The policy's weights are its effective ones
    /// (LoRA and (IA)³ merged), so the reference stays a plain model whatever the method.
    /// </summary>
    private void SyncReference()
    {
        using var _ = no_grad();
        var alpha = rl.RefModelMixupAlpha;
        var current = policy.EffectiveStateDict();
        foreach (var (name, target) in reference!.state_dict())
            if (current.TryGetValue(name, out var source) && source.shape.SequenceEqual(target.shape))
                target.mul_(1 - alpha).add_(source.to(target.dtype), alpha: alpha);
    }

    /// <summary>A sampled batch: the rows, the completions' mask, advantages and what the loss needs of the reference.</summary>
    private sealed record SampledBatch(Tensor Input, Tensor Targets, Tensor Mask, Tensor Advantages, Tensor? RefLogProbs, Tensor? OldLogProbs,
        double MeanReward, IReadOnlyDictionary<string, double> Components, double? MeanKl, double MeanLength) : IDisposable
    {
        public void Dispose()
        {
            Input.Dispose(); Targets.Dispose(); Mask.Dispose(); Advantages.Dispose();
            RefLogProbs?.Dispose(); OldLogProbs?.Dispose();
        }
    }

    private SampledBatch Sample(TorchLanguageModel generation)
    {
        var groups = settings.BatchSize / rl.NumGenerations;
        var drawn = Enumerable.Range(0, groups).Select(_ => Prompts[promptRng.Next(Prompts.Count)]).ToList();
        var prompts = drawn.SelectMany(p => Enumerable.Repeat(p, rl.NumGenerations)).ToList();   // prompt-major, as TRL lays groups out
        var completions = generation.SampledTokens(prompts.Select(p => p.Tokens).ToList(), rl.MaxCompletionLength, sampler, [eos]);
        policy.train();

        var scored = Reward!.ScoreAll(prompts.Select((p, i) => new Completion(Text(completions[i]), completions[i].Length, p.Reference)
        {
            PromptIds = p.Tokens, CompletionIds = WithoutEos(completions[i]),
        }).ToList());
        var rewards = scored.Select(s => s.Total).ToArray();
        var (input, targets, mask) = Rows(prompts.Select(p => p.Tokens).ToList(), completions);

        Tensor? refLogProbs = null, oldLogProbs = null;
        double? meanKl = null;
        using (no_grad())
        {
            if (rl.NumIterations > 1 || reference is not null)
            {
                policy.eval();
                oldLogProbs = TokenLogProbs(policy, input, targets, rl.Temperature).mul(mask).DetachFromDisposeScope();
                policy.train();
            }
            if (reference is not null && controller.Beta > 0)
            {
                ReferenceForwards++;
                refLogProbs = TokenLogProbs(reference, input, targets, rl.Temperature).mul(mask).DetachFromDisposeScope();
                // k1 summed per completion: the KL the reward penalty (TRL's RLOO) and the adaptive controller use.
                var sequenceKl = (oldLogProbs! - refLogProbs).mul(mask).sum(1);                    // (B)
                var kl = sequenceKl.data<float>().Select(x => (double)x).ToArray();
                meanKl = kl.Average();
                if (rl.KlIn == KlPlacement.Reward)
                {
                    var perToken = KlEstimate.PerToken(oldLogProbs!, refLogProbs, rl.KlEstimator).mul(mask).sum(1).data<float>().ToArray();
                    for (var i = 0; i < rewards.Length; i++) rewards[i] -= controller.Beta * perToken[i];
                }
            }
        }
        var advantages = rl.Algorithm switch
        {
            RlAlgorithm.Grpo => Advantages.Grpo(rewards, rl.NumGenerations, rl.ScaleRewards),
            RlAlgorithm.Rloo => Advantages.Rloo(rewards, rl.NumGenerations, rl.NormalizeAdvantages),
            _ => Advantages.Reinforce(rewards),
        };
        var names = Reward!.Names;
        var components = names.Select((n, c) => (n, scored.Average(s => s.Components[c]))).ToDictionary(x => x.n, x => x.Item2);
        return new SampledBatch(
            input.DetachFromDisposeScope(), targets.DetachFromDisposeScope(), mask.DetachFromDisposeScope(),
            tensor(advantages.Select(a => (float)a).ToArray()).DetachFromDisposeScope(), refLogProbs, oldLogProbs,
            scored.Average(s => s.Total), components, meanKl, completions.Average(c => c.Length));
    }

    private (float Loss, RlStepLog Log) PolicyStep(int step, SampledBatch batch, OptimizerHelper optimizer, ScalarType? compute)
    {
        optimizer.zero_grad();
        Tensor loss;
        double meanEntropy;
        using (Autocast.Enter(compute))
        {
            // As TRL's _get_per_token_logps: the log-probabilities of the distribution that was sampled, logits ÷ temperature.
            var (tokenLogProbs, entropy) = TokenLogProbsAndEntropy(policy, batch.Input, batch.Targets, batch.Mask, rl.Temperature);
            meanEntropy = entropy;
            var logProbs = tokenLogProbs.mul(batch.Mask);                                               // (B, T)
            // As TRL: with one pass the sampling policy is this one, so the ratio is exactly 1 (old = logp.detach()).
            var old = rl.NumIterations > 1 ? batch.OldLogProbs! : logProbs.detach();
            if (rl.Algorithm == RlAlgorithm.Rloo)
            {
                loss = PolicyLoss.SequenceLevel(logProbs, old, batch.Advantages, batch.Mask, rl.Epsilon, rl.EffectiveEpsilonHigh);
                if (rl.KlIn == KlPlacement.Loss && batch.RefLogProbs is { } refLp)
                    loss = loss + controller.Beta * PolicyLoss.Aggregate(KlEstimate.PerToken(logProbs, refLp, rl.KlEstimator), batch.Mask, RlLossType.Grpo, rl.MaxCompletionLength);
            }
            else
            {
                var kl = rl.KlIn == KlPlacement.Loss && batch.RefLogProbs is { } refLp ? KlEstimate.PerToken(logProbs, refLp, rl.KlEstimator) : null;
                loss = PolicyLoss.TokenLevel(logProbs, old, batch.Advantages, batch.Mask, rl.Epsilon, rl.EffectiveEpsilonHigh,
                    rl.LossType, rl.MaxCompletionLength, kl, controller.Beta);
            }
            loss = WithSharedTerms(loss);
        }
        var value = loss.item<float>();
        if (float.IsFinite(value)) Update(loss, optimizer);
        return (value, new RlStepLog(step, value, batch.MeanReward, batch.Components, batch.MeanKl, controller.Beta, batch.MeanLength) { Entropy = meanEntropy });
    }

    private (float Loss, RlStepLog Log) DpoStep(int step, OptimizerHelper optimizer, ScalarType? compute)
    {
        var pairs = Enumerable.Range(0, settings.BatchSize).Select(_ => Pairs[promptRng.Next(Pairs.Count)]).ToList();
        var prompts = pairs.Select(p => p.Prompt).ToList();
        var (chosenIn, chosenTargets, chosenMask) = Rows(prompts, pairs.Select(p => p.Chosen).ToList());
        var (rejectedIn, rejectedTargets, rejectedMask) = Rows(prompts, pairs.Select(p => p.Rejected).ToList());
        Tensor refChosen, refRejected;
        using (no_grad())
        {
            ReferenceForwards += 2;
            refChosen = TokenLogProbs(reference!, chosenIn, chosenTargets).mul(chosenMask).sum(1);
            refRejected = TokenLogProbs(reference!, rejectedIn, rejectedTargets).mul(rejectedMask).sum(1);
        }
        optimizer.zero_grad();
        Tensor loss, chosen, rejected;
        using (Autocast.Enter(compute))
        {
            chosen = TokenLogProbs(policy, chosenIn, chosenTargets).mul(chosenMask).sum(1);
            rejected = TokenLogProbs(policy, rejectedIn, rejectedTargets).mul(rejectedMask).sum(1);
            loss = WithSharedTerms(DpoLoss.Sigmoid(chosen, rejected, refChosen, refRejected, controller.Beta));
        }
        var value = loss.item<float>();
        // TRL's rewards/accuracies: the share of pairs whose implicit reward prefers the chosen completion.
        var accuracy = ((chosen - refChosen) > (rejected - refRejected)).to(ScalarType.Float32).mean().item<float>();
        if (float.IsFinite(value)) Update(loss, optimizer);
        var length = pairs.Average(p => p.Chosen.Length);
        return (value, new RlStepLog(step, value, accuracy, new Dictionary<string, double>(), null, controller.Beta, length));
    }

    /// <summary>The pre-training mix and the regularisers, the same on every algorithm's loss.</summary>
    private Tensor WithSharedTerms(Tensor loss)
    {
        if (rl.Ptx is { } ptx)
        {
            var (input, target, _) = PtxText!.Next(settings.BatchSize);
            var logits = policy.forward(input);                                                   // (B, T, V)
            var lm = nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), target.view(-1), ignore_index: -100);
            loss = loss + ptx.Coef * lm;
        }
        if (ExtraLoss is not null) loss = loss + ExtraLoss();
        return loss;
    }

    private void Update(Tensor loss, OptimizerHelper optimizer)
    {
        loss.backward();
        if (settings.GradClip > 0) nn.utils.clip_grad_norm_(trainable, settings.GradClip);
        optimizer.step();
    }

    private string Text(int[] completion) => tokenizer.Decode(WithoutEos(completion), skipSpecialTokens: true);

    private int[] WithoutEos(int[] completion) => completion.Length > 0 && completion[^1] == eos ? completion[..^1] : completion;

    /// <summary>
    /// Rows <c>prompt + completion</c> without their last token, right-padded: input (B, W), the next-token targets
    /// (B, W) and a mask (B, W) that is 1 exactly where the target is a completion token.
    /// </summary>
    internal (Tensor Input, Tensor Targets, Tensor Mask) Rows(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions)
    {
        var width = prompts.Select((p, i) => p.Length + completions[i].Length - 1).Max();
        var pad = tokenizer.PadId ?? eos;
        var input = new long[prompts.Count * width];
        var targets = new long[prompts.Count * width];
        var mask = new float[prompts.Count * width];
        Array.Fill(input, pad);
        for (var b = 0; b < prompts.Count; b++)
        {
            var row = prompts[b].Concat(completions[b]).ToArray();
            for (var t = 0; t < row.Length - 1; t++) input[b * width + t] = row[t];
            for (var t = 0; t < completions[b].Length; t++)
            {
                var position = prompts[b].Length - 1 + t;
                targets[b * width + position] = completions[b][t];
                mask[b * width + position] = 1;
            }
        }
        return (tensor(input, [prompts.Count, width]), tensor(targets, [prompts.Count, width]), tensor(mask, [prompts.Count, width]));
    }

    /// <summary>log π(target_t | row_&lt;t) at every position (B, W), float32, of the logits divided by
    /// <paramref name="temperature"/>: the sampled policy's own log-probabilities at the run's sampling temperature (TRL's
    /// GRPO and RLOO do the same), so a run sampled at T &lt; 1 is updated for the distribution it sampled from. DPO and the
    /// reward model pass 1.</summary>
    internal static Tensor TokenLogProbs(CausalLanguageModel model, Tensor input, Tensor targets, double temperature = 1.0)
    {
        var logits = model.forward(input).to(ScalarType.Float32);                                // (B, W, V)
        if (temperature != 1.0)
            logits = logits.div(temperature);
        return nn.functional.log_softmax(logits, -1).gather(2, targets.unsqueeze(2)).squeeze(2); // (B, W)
    }

    /// <summary>
    /// <see cref="TokenLogProbs"/> of the policy step's one forward pass, and from the same distribution (no second pass) the mean
    /// per-token entropy −Σ_v p_v log p_v over the positions <paramref name="mask"/> marks (nats/token), as TRL's GRPO logs it.
    /// </summary>
    private static (Tensor LogProbs, double Entropy) TokenLogProbsAndEntropy(CausalLanguageModel model, Tensor input, Tensor targets, Tensor mask, double temperature)
    {
        var logits = model.forward(input).to(ScalarType.Float32);                                // (B, W, V)
        if (temperature != 1.0)
            logits = logits.div(temperature);
        var all = nn.functional.log_softmax(logits, -1);                                         // (B, W, V)
        double entropy;
        using (no_grad())
        {
            var perToken = all.exp().mul(all).sum(-1).neg();                                     // (B, W)
            entropy = perToken.mul(mask).sum().item<float>() / Math.Max(1f, mask.sum().item<float>());
        }
        return (all.gather(2, targets.unsqueeze(2)).squeeze(2), entropy);                        // (B, W)
    }

    private static double Rate(long tokens, Stopwatch clock) => tokens / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
}
