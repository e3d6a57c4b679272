using System.Diagnostics;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Peft;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Training;

/// <summary>
/// The training loop: AdamW, warm-up + schedule, gradient clipping, one dispose scope per step, the forward
/// in the run's compute dtype (autocast; backward and the optimizer in float32), optional gradient checkpointing,
/// checkpoints every N steps (and at the end), resume from a checkpoint, and divergence detection:
/// a NaN/inf loss ends the run as <see cref="TrainingStatus.Diverged"/>, keeping its last good checkpoint.
/// </summary>
/// <param name="peft">The parameter-efficient method, whose checkpoints are adapter-only; null saves the full model.</param>
public sealed class Trainer(CausalLanguageModel model, IReadOnlyList<Parameter> trainable, IPeftMethod? peft, IBatchSource data, TrainSettings settings)
{
    /// <summary>Called after each checkpoint is written; return false to stop early (e.g. a retention threshold crossed).</summary>
    public Func<SavedCheckpoint, bool>? OnCheckpoint { get; init; }

    /// <summary>An optional extra loss term (regularisers) added to the language-model loss each step.</summary>
    public Func<Tensor>? ExtraLoss { get; init; }

    public IProgress<TrainProgress>? Progress { get; init; }

    /// <summary>Called after each optimizer step with its number, before any checkpoint of that step (pre-training probes score the model there).</summary>
    public Action<int>? AfterStep { get; init; }

    /// <summary>
    /// An <c>optimizer.bin</c> whose AdamW moments and step count a fresh run starts from
    /// (<c>optimizer_state: pretrain</c>); the run's own weight decay still applies. Only valid when
    /// the trainable parameters are exactly those the state was saved with (full fine-tuning of the
    /// base it came from). Ignored when resuming, since the checkpoint holds the run's own state.
    /// </summary>
    public string? InitialOptimizerState { get; init; }

    /// <summary>
    /// Asked after every step: true when the host wants a checkpoint now (the run is preempted). The trainer then saves one at that step
    /// (unless the schedule just did), hands it to <see cref="OnPreemptionCheckpoint"/> unscored and throws <see cref="TrainingPreempted"/>.
    /// Not asked at the last step, which ends the run anyway.
    /// </summary>
    public Func<bool>? CheckpointRequested { get; init; }

    /// <summary>Hears the checkpoint saved for a preemption, before training stops.</summary>
    public Action<SavedCheckpoint>? OnPreemptionCheckpoint { get; init; }

    /// <summary>Where to save the optimizer's state after the last step of a completed run (pre-training keeps it).</summary>
    public string? FinalOptimizerState { get; init; }

    /// <param name="runDirectory">Where <c>step-{n}/</c> checkpoints go; null trains without checkpoints.</param>
    /// <param name="resumeFrom">A checkpoint folder to resume from, or null to start at step 0.</param>
    public TrainingOutcome Run(string? runDirectory, string? resumeFrom = null)
    {
        random.manual_seed(settings.Seed);
        using var optimizer = optim.AdamW(trainable, lr: settings.Lr, weight_decay: settings.WeightDecay);
        var schedule = settings.LrSchedule;
        var losses = new List<StepLoss>();
        var checkpoints = new List<SavedCheckpoint>();
        var start = 0;
        if (resumeFrom is not null)
        {
            var state = TrainingCheckpoint.Load(resumeFrom, model, peft, optimizer);
            start = state.Step;
            data.SamplerState = state.SamplerState;
            losses.AddRange(state.Losses);
        }
        else if (InitialOptimizerState is not null)
        {
            LoadInitialOptimizerState(optimizer, InitialOptimizerState, settings.WeightDecay);
        }

        model.train();
        model.GradientCheckpointing = settings.GradientCheckpointing;
        var compute = Autocast.Of(settings.ComputeDtype);
        var clock = Stopwatch.StartNew();
        long tokens = 0;
        for (var step = start + 1; step <= settings.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var stepStart = Stopwatch.GetTimestamp();
            var lr = schedule.At(step);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            optimizer.zero_grad();
            var (input, target, lossTokens) = data.Next(settings.BatchSize);
            Tensor loss;
            using (Autocast.Enter(compute))
            {
                var logits = model.forward(input);                                         // (B, T, V), float32
                loss = nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), target.view(-1), ignore_index: BatchRows.IgnoreIndex);
                if (ExtraLoss is not null) loss = loss + ExtraLoss();
            }
            var value = loss.item<float>();
            if (!float.IsFinite(value))
                return new TrainingOutcome(TrainingStatus.Diverged, losses, checkpoints, Rate(tokens, clock), $"loss was {value} at step {step}");
            loss.backward();
            if (settings.GradClip > 0) nn.utils.clip_grad_norm_(trainable, settings.GradClip);
            optimizer.step();
            tokens += input.numel();
            losses.Add(new StepLoss(step, value, lr));
            Progress?.Report(new TrainProgress(step, settings.Steps, value, Rate(tokens, clock))
            {
                StepTokens = input.numel(),
                StepSeconds = Stopwatch.GetElapsedTime(stepStart).TotalSeconds,
            });
            if (AfterStep is not null)
            {
                AfterStep(step);
                model.train();
            }

            var due = step == settings.Steps || (settings.CheckpointEvery > 0 && step % settings.CheckpointEvery == 0);
            if (due && runDirectory is not null)
            {
                var dir = Path.Combine(runDirectory, TrainingCheckpoint.FolderName(step));
                TrainingCheckpoint.Save(dir, model, peft, optimizer, new TrainerState(step, data.SamplerState, losses, settings));
                var saved = new SavedCheckpoint(step, dir);
                checkpoints.Add(saved);
                if (OnCheckpoint is not null && !OnCheckpoint(saved) && step < settings.Steps)
                    return new TrainingOutcome(TrainingStatus.StoppedEarly, losses, checkpoints, Rate(tokens, clock), $"stopped at step {step}");
                model.train();
            }

            if (step < settings.Steps && runDirectory is not null && CheckpointRequested?.Invoke() == true)
            {
                // The same state a scheduled checkpoint holds (weights, optimizer, sampler, losses), so the resumed run trains on exactly.
                var dir = Path.Combine(runDirectory, TrainingCheckpoint.FolderName(step));
                if (!due) TrainingCheckpoint.Save(dir, model, peft, optimizer, new TrainerState(step, data.SamplerState, losses, settings));
                OnPreemptionCheckpoint?.Invoke(new SavedCheckpoint(step, dir));
                throw new TrainingPreempted(step);
            }
        }
        if (FinalOptimizerState is not null) optimizer.save_state_dict(FinalOptimizerState);
        return new TrainingOutcome(TrainingStatus.Completed, losses, checkpoints, Rate(tokens, clock));
    }

    /// <summary>Starts AdamW from a saved state (<c>optimizer_state: pretrain</c>), keeping the run's own weight decay.</summary>
    internal static void LoadInitialOptimizerState(OptimizerHelper optimizer, string path, double weightDecay)
    {
        optimizer.load_state_dict(path);
        foreach (var group in optimizer.ParamGroups)
        {
            // Loading restores the pre-training options too; the fine-tuning run's weight decay wins.
            if (group is not ParamGroup<AdamW.Options> adamw) throw new InvalidOperationException("expected AdamW parameter groups");
            adamw.Options.weight_decay = weightDecay;
        }
    }

    private static double Rate(long tokens, Stopwatch clock) => tokens / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
}
