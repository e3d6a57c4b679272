using ForgetLab.Core.Specs;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Training;
using ForgetLab.Lab.Training.Consolidation;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Runs;

/// <summary>
/// A run's consolidation, built from its <see cref="TrainSpec"/> and ready to plug into a
/// <see cref="Trainer"/>: <see cref="Data"/> as its batch source (replay mixed in when on),
/// <see cref="ExtraLoss"/> as <c>Trainer.ExtraLoss</c> (the sum of the <see cref="Regularizers"/>' terms
/// — EWC, L2-SP, distillation, built by <see cref="Training.Consolidation.Regularizers"/>; null when none is on), <see cref="EarlyStopping"/> consulted from <c>Trainer.OnCheckpoint</c>.
/// Build it after <c>MethodSetup.Apply</c> and before training: it captures θ₀, the Fisher and the teacher
/// from the model as it is then (the base, adapters at their identity start).
/// </summary>
public sealed class ConsolidationPlan : IDisposable
{
    private readonly List<IDisposable> owned = [];
    private readonly List<IRegularizer> regularizers = [];

    private ConsolidationPlan(IBatchSource data) => Data = data;

    public IBatchSource Data { get; }

    public Func<Tensor>? ExtraLoss { get; private set; }

    public ReplayBatches? Replay { get; private init; }

    /// <summary>The run's regularisers, in the order their terms are summed.</summary>
    public IReadOnlyList<IRegularizer> Regularizers => regularizers;

    public Ewc? Ewc => regularizers.OfType<Ewc>().SingleOrDefault();

    public L2Sp? L2Sp => regularizers.OfType<L2Sp>().SingleOrDefault();

    public Distillation? Distillation => regularizers.OfType<Distillation>().SingleOrDefault();

    public EarlyStopping? EarlyStopping { get; private init; }

    /// <param name="train">The run's resolved settings (<c>RunRecipe.Train</c>).</param>
    /// <param name="model">The model to fine-tune, after <c>MethodSetup.Apply</c>.</param>
    /// <param name="trainable">The parameters <c>MethodSetup.Apply</c> returned.</param>
    /// <param name="fineTuning">The run's own batches (e.g. <see cref="MaskedExampleBatches"/>).</param>
    /// <param name="pretrainingDocuments">The base's pre-training documents as token ids (replay, Fisher and distillation text).</param>
    /// <param name="framing">The tokens around each packed document, as the base was pre-trained (<see cref="DocumentFraming.For"/>).</param>
    /// <param name="seed">The run's seed; every stream derives its own from it.</param>
    /// <param name="corpora">The user's own text for replay, EWC's Fisher or distillation (<c>train.*.corpus</c>); null or a null entry: <paramref name="pretrainingDocuments"/>.</param>
    public static ConsolidationPlan Build(
        TrainSpec train, CausalLanguageModel model, IReadOnlyList<Parameter> trainable, IBatchSource fineTuning,
        IReadOnlyList<int[]> pretrainingDocuments, DocumentFraming framing, int seed, ConsolidationCorpora? corpora = null)
    {
        var contextLength = model.Config.MaxPositions;
        // Streams: 1 replay, 2 the Fisher, 3 distillation (RegularizerContext.General).
        IReadOnlyList<int[]> Documents(ulong stream) => stream switch
        {
            1 => corpora?.Replay,
            2 => corpora?.Ewc,
            3 => corpora?.Distill,
            _ => null,
        } ?? pretrainingDocuments;
        PackedTextBatches General(ulong stream) => new(Documents(stream), contextLength, framing, (ulong)seed * 0x9E3779B97F4A7C15UL + stream);

        var replay = train.Replay is { Ratio: > 0 } r
            ? new ReplayBatches(fineTuning, General(1), r.Ratio, (ulong)seed)
            : null;
        var plan = new ConsolidationPlan(replay ?? fineTuning)
        {
            Replay = replay,
            EarlyStopping = train.EarlyStopping is { } es ? Training.Consolidation.EarlyStopping.From(es) : null,
        };

        // Each regulariser of the run (in TrainSpec's order, which is the order their terms are summed in).
        var context = new RegularizerContext(model, trainable, General, train.BatchSize, seed);
        plan.owned.Add(context);
        plan.regularizers.AddRange(train.Regularizers().Select(r => Training.Consolidation.Regularizers.For(r, context)));
        var terms = plan.regularizers.Select(r => (Func<Tensor>)r.Loss).ToList();

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
        foreach (var r in regularizers) r.ResumeAt(step);
    }

    public void Dispose()
    {
        foreach (var d in owned) d.Dispose();
    }
}
