using ForgetLab.Core.Specs;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Training;
using ForgetLab.Lab.Training.Consolidation;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Experiments;

/// <summary>
/// A run's consolidation, built from its <see cref="TrainSpec"/> and ready to plug into a
/// <see cref="Trainer"/>: <see cref="Data"/> as its batch source (replay mixed in when on),
/// <see cref="ExtraLoss"/> as <c>Trainer.ExtraLoss</c> (the sum of the EWC, L2-SP and distillation
/// terms; null when none is on), <see cref="EarlyStopping"/> consulted from <c>Trainer.OnCheckpoint</c>.
/// Build it after <c>MethodSetup.Apply</c> and before training: it captures θ₀, the Fisher and the teacher
/// from the model as it is then (the base, adapters at their identity start).
/// </summary>
public sealed class ConsolidationPlan : IDisposable
{
    private readonly List<IDisposable> owned = [];

    private ConsolidationPlan(IBatchSource data) => Data = data;

    public IBatchSource Data { get; }

    public Func<Tensor>? ExtraLoss { get; private set; }

    public ReplayBatches? Replay { get; private init; }

    public Ewc? Ewc { get; private set; }

    public L2Sp? L2Sp { get; private set; }

    public Distillation? Distillation { get; private set; }

    public EarlyStopping? EarlyStopping { get; private init; }

    /// <param name="train">The run's resolved settings (<c>RunRecipe.Train</c>).</param>
    /// <param name="model">The model to fine-tune, after <c>MethodSetup.Apply</c>.</param>
    /// <param name="trainable">The parameters <c>MethodSetup.Apply</c> returned.</param>
    /// <param name="fineTuning">The run's own batches (e.g. <see cref="PromptCompletionBatches"/>).</param>
    /// <param name="pretrainingDocuments">The base's pre-training documents as token ids (replay, Fisher and distillation text).</param>
    /// <param name="separatorId">End-of-text id used to pack documents (the tokenizer's EOS).</param>
    /// <param name="seed">The run's seed; every stream derives its own from it.</param>
    public static ConsolidationPlan Build(
        TrainSpec train, GptModel model, IReadOnlyList<Parameter> trainable, IBatchSource fineTuning,
        IReadOnlyList<int[]> pretrainingDocuments, int separatorId, int seed)
    {
        var context = model.Config.NPositions;
        PackedTextBatches General(ulong stream) => new(pretrainingDocuments, context, separatorId, (ulong)seed * 0x9E3779B97F4A7C15UL + stream);

        var replay = train.Replay is { Ratio: > 0 } r
            ? new ReplayBatches(fineTuning, General(1), r.Ratio, (ulong)seed)
            : null;
        var plan = new ConsolidationPlan(replay ?? fineTuning)
        {
            Replay = replay,
            EarlyStopping = train.EarlyStopping is { } es ? Training.Consolidation.EarlyStopping.From(es) : null,
        };

        var terms = new List<Func<Tensor>>();
        if (train.Ewc is not null || train.L2Sp is not null)
        {
            var anchors = AnchoredWeights.Capture(model, trainable);
            plan.owned.Add(anchors);
            if (train.Ewc is { } ewc)
            {
                var fisher = FisherDiagonal.Estimate(model, General(2), ewc.FisherBatches, train.BatchSize);
                plan.owned.Add(fisher);
                plan.Ewc = new Ewc(anchors, fisher, ewc.Lambda);
                terms.Add(plan.Ewc.Loss);
            }

            if (train.L2Sp is { } l2sp)
            {
                plan.L2Sp = new L2Sp(anchors, l2sp.Alpha);
                terms.Add(plan.L2Sp.Loss);
            }
        }

        if (train.Distill is { } distill)
        {
            var teacher = Distillation.FrozenCopy(model);
            plan.owned.Add(teacher);
            plan.Distillation = new Distillation(model, teacher, General(3), train.BatchSize, distill.Beta, distill.Temperature, (ulong)seed);
            terms.Add(plan.Distillation.Loss);
        }

        plan.ExtraLoss = terms.Count switch
        {
            0 => null,
            1 => terms[0],
            _ => () => terms.Select(t => t()).Aggregate((a, b) => a + b),
        };
        return plan;
    }

    /// <summary>Call when the trainer resumes from a checkpoint of <paramref name="step"/>, so distillation draws the batches it would have.</summary>
    public void ResumeAt(int step)
    {
        if (Distillation is not null) Distillation.BatchesDrawn = (ulong)step;
    }

    public void Dispose()
    {
        foreach (var d in owned) d.Dispose();
    }
}
