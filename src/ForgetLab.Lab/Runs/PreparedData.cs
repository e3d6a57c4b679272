using ForgetLab.Core.Data;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Data;

namespace ForgetLab.Lab.Runs;

/// <summary>
/// The user's data of one spec, read once for all its runs: the data target (when <c>target.data</c> is set) and
/// every corpus a recipe of the grid names, tokenized with the base's tokenizer, with the bounds the report records.
/// </summary>
internal sealed class PreparedData
{
    private readonly Dictionary<string, IReadOnlyList<int[]>> corpora;

    private PreparedData(TargetData? target, Dictionary<string, IReadOnlyList<int[]>> corpora, IReadOnlyList<DataFileReport> bounds) =>
        (Target, this.corpora, Bounds) = (target, corpora, bounds);

    public TargetData? Target { get; }

    public IReadOnlyList<DataFileReport> Bounds { get; }

    /// <summary>Reads and checks every file the spec names, suites included (no tokenizer needed), so bad data is refused before a base is built.</summary>
    public static void Check(LabSpec spec)
    {
        if (spec.Target.Data is { } data)
        {
            var file = JsonlDataFile.Read(data.FullPath, data.Path);
            // Reward fine-tuning samples its own completion for each prompt and pays it against the line's completion, so it needs both.
            if (file.Shape != DataShape.PromptCompletion && (spec.Train.Rl is not null || spec.Variants.Any(v => v.Train.Rl is not null)))
                throw new DataFileException(file.Name, file.Examples[0].Line, "",
                    $"train.rl samples a completion for each prompt and rewards it against the line's own, so target.data must hold {{\"prompt\", \"completion\"}} lines; this file holds {DataShapes.Name(file.Shape)} lines");
            if (data.EvalFullPath is { } eval) JsonlDataFile.Read(eval, data.EvalPath!);
        }
        if (spec.Base.Pretrain.Corpus is { } pretrain && spec.Base.IsPretrained)
            JsonlDataFile.Read(pretrain.FullPath, pretrain.Path, only: DataShape.Text);
        foreach (var (corpus, _) in Corpora(spec).DistinctBy(c => c.Corpus.FullPath))
            JsonlDataFile.Read(corpus.FullPath, corpus.Path, only: DataShape.Text);
        // Suite files too (a registered data set's suites are only checked in outline at upload): a bad one stops the job here.
        foreach (var suite in spec.Suites.Where(s => s.FilePath is not null))
            _ = Suites.SuiteReader.Read(suite.FilePath!, suite.ConfinedTo);
    }

    public static PreparedData Load(LabSpec spec, ITokenizer tokenizer, int contextLength)
    {
        var bounds = new List<DataFileReport>();
        if (spec.Base.Pretrain.Corpus is { } pretrain && spec.Base.IsPretrained)
            bounds.Add(TextCorpus.Load(pretrain, tokenizer, "pretrain_corpus").Bounds);
        TargetData? target = null;
        if (spec.Target.Data is { } data)
        {
            target = TargetData.Load(data, tokenizer, (tokenizer as PretrainedTokenizer)?.ChatTemplate, contextLength, spec.Seed);
            bounds.AddRange(target.Bounds);
        }
        var documents = new Dictionary<string, IReadOnlyList<int[]>>(StringComparer.Ordinal);
        foreach (var (corpus, role) in Corpora(spec).Distinct())
        {
            var loaded = TextCorpus.Load(corpus, tokenizer, role);
            documents.TryAdd(corpus.FullPath, loaded.Documents);
            bounds.Add(loaded.Bounds);
        }
        return new PreparedData(target, documents, bounds);
    }

    /// <summary>The user's text for a run's replay, Fisher and distillation; null entries fall back to the base's world.</summary>
    public ConsolidationCorpora? CorporaFor(TrainSpec train)
    {
        IReadOnlyList<int[]>? Of(CorpusRef? corpus) => corpus is null ? null : corpora[corpus.FullPath];
        var (replay, ewc, distill) = (Of(train.Replay?.Corpus), Of(train.Ewc?.Corpus), Of(train.Distill?.Corpus));
        return replay is null && ewc is null && distill is null ? null : new ConsolidationCorpora(replay, ewc, distill);
    }

    /// <summary>Every corpus a run of the spec uses, with the role it plays, in the order the runs name them.</summary>
    private static IEnumerable<(CorpusRef Corpus, string Role)> Corpora(LabSpec spec) =>
        GridExpansion.Expand(spec).SelectMany(r => new (CorpusRef? Corpus, string Role)[]
        {
            (r.Train.Replay?.Corpus, "replay_corpus"), (r.Train.Ewc?.Corpus, "ewc_corpus"), (r.Train.Distill?.Corpus, "distill_corpus"),
        }).Where(c => c.Corpus is not null).Select(c => (c.Corpus!, c.Role));
}
