using System.Globalization;
using System.Text.Json;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Baselines;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Core.Jobs;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Baselines;
using ForgetLab.Lab.Data;
using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Suites;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Tokenization;
using ForgetLab.Lab.Training;
using ForgetLab.Lab.Training.Consolidation;
using ForgetLab.Lab.World;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Runs;

/// <summary>
/// The stand-alone lab: get the base (pre-trained once, cached by spec hash), score it on every suite
/// (the baseline), fine-tune every recipe of the grid, score every checkpoint on every suite, compare
/// each item with the baseline, and write <c>report.json</c>, <c>report.md</c> and per-item results.
/// A run that diverges or fails is reported as such; the other runs go on.
/// </summary>
public sealed class LabRunner(LabRunnerOptions options)
{
    public LabResult Run(LabSpec spec, string outDirectory)
    {
        using var lab = PreparedLab.Prepare(spec, options, outDirectory);
        var recipes = GridExpansion.Expand(spec);
        var runs = spec.Search is { } search
            ? LabSearch.Run(lab, recipes, search, options.Progress)
            : [.. recipes.Select(recipe => lab.RunRecipe(recipe, resumeFrom: null))];

        var report = ReportAssembly.Assemble(spec.Name, DateTimeOffset.UtcNow, lab.BaseReport(), runs) with { Data = lab.DataBounds };
        File.WriteAllText(Path.Combine(outDirectory, "report.json"), ReportJson.Serialize(report));
        File.WriteAllText(Path.Combine(outDirectory, "report.md"), ReportMarkdown.Render(report));
        options.Progress?.Report(new ReportWritten(Path.Combine(outDirectory, "report.json")));
        return new LabResult(report, outDirectory, lab.BaseFolder, lab.Pretrain) { SuitesScored = lab.SuitesScored, SuitesFromCache = lab.SuitesFromCache };
    }
}

/// <summary>
/// Everything the runs of one spec share: the world, the base (pre-trained once, cached by spec hash),
/// the target, the suites and the base's scores on them (the baseline, also written as per-item
/// results under <c>baseline/</c>). <see cref="RunRecipe"/> fine-tunes and evaluates one recipe;
/// the lab runner and the worker's <see cref="RecipeJob"/> both go through it.
/// </summary>
internal sealed partial class PreparedLab : IDisposable
{
    private readonly EvaluationConventions conventions;
    private readonly SuiteEvaluator evaluator;
    private readonly LabRunnerOptions options;
    private readonly LabSpec spec;
    private readonly FineTuningTarget? target;
    private readonly PreparedData data;
    private readonly IReadOnlyList<SuiteDefinition> suites;
    private readonly CausalLanguageModel baseModel;
    private readonly TorchLanguageModel baseLm;
    private readonly ITokenizer tokenizer;
    private readonly Dictionary<string, SuiteEvaluation> baseline;
    private readonly IReadOnlyDictionary<(string Suite, string Id), string> prompts;
    private readonly string outDirectory;
    private readonly Lazy<IReadOnlyList<int[]>> pretrainDocuments;
    private readonly EvaluationResultCache results;
    private readonly Lazy<string> baseKey;
    private readonly BuiltInWorld world;
    private readonly int baselineScored;

    private PreparedLab(
        LabRunnerOptions options, LabSpec spec, string outDirectory, string baseFolder, ITokenizer tokenizer, PretrainSummary pretrain,
        FineTuningTarget? target, PreparedData data, IReadOnlyList<SuiteDefinition> suites, CausalLanguageModel baseModel, TorchLanguageModel baseLm,
        Dictionary<string, SuiteEvaluation> baseline, int baselineScored, BuiltInWorld world, EvaluationConventions conventions)
    {
        this.baselineScored = baselineScored;
        (this.options, this.spec, this.outDirectory, BaseFolder, this.tokenizer, Pretrain) = (options, spec, outDirectory, baseFolder, tokenizer, pretrain);
        (this.target, this.data, this.suites, this.baseModel, this.baseLm, this.baseline) = (target, data, suites, baseModel, baseLm, baseline);
        this.world = world;
        prompts = Prompts(suites);
        this.conventions = conventions;
        evaluator = new SuiteEvaluator(conventions);
        // Replay, the Fisher and distillation draw the base's own pre-training text unless a run names a corpus.
        pretrainDocuments = new(() => BaseModelCache.PretrainTexts(spec, world).Select(tokenizer.EncodeText).ToList());
        results = new EvaluationResultCache(Path.Combine(options.CacheDirectory, EvaluationResultCache.FolderName));
        baseKey = new(() => ModelFolder.ContentHash(baseFolder));
    }

    /// <summary>Suites scored so far, the baseline's and this lab's checkpoints' (result-cache misses).</summary>
    public int SuitesScored => baselineScored + results.Counts.Misses;

    /// <summary>Suites read so far instead of scored: the baseline's from its files, the checkpoints' from the result cache.</summary>
    public int SuitesFromCache => baseline.Count - baselineScored + results.Counts.Hits;

    public string BaseFolder { get; }

    public PretrainSummary Pretrain { get; }

    /// <summary>The bounds of every data file the spec named (the report's <c>data</c>).</summary>
    public IReadOnlyList<DataFileReport> DataBounds => data.Bounds;

    /// <param name="inspect">
    /// Called with the base's config before anything is evaluated or written, and before the base is pre-trained when its config
    /// is known without it (an evaluation-only spec checks its models there: <see cref="PreparedLab.KnownBaseConfig"/>).
    /// </param>
    public static PreparedLab Prepare(LabSpec spec, LabRunnerOptions options, string outDirectory, Action<Core.Models.IModelConfig>? inspect = null)
    {
        Training.TensorAllocator.ReturnFreedMemory();   // RSS then tracks the live tensors, as the memory estimate counts them
        if (options.Threads is { } threads) set_num_threads(threads);
        if (options.Warning is { } warn && CpuBfloat16.SlowTrainingWarning(spec) is { } slow) warn(slow);
        var world = BuiltInWorld.Load((options.Corpus ?? new WorldCorpusOptions()) with { Seed = spec.Seed }, options.WorldDataDirectory);
        // The user's files are read and checked before a base is pre-trained or loaded: bad data stops here.
        PreparedData.Check(spec);
        var known = inspect is null ? null : KnownBaseConfig(spec, world, options);
        if (known is not null) inspect!(known);
        var (baseFolder, tokenizer, pretrain) = ResolveBase(spec, world, options);
        if (inspect is not null && known is null) inspect(ModelFolder.ReadConfig(baseFolder));
        var target = spec.Target.Data is null ? world.Target(SpecMapping.TargetName(spec.Target.Task), spec.Target.Count, spec.Seed) : null;

        var baseModel = LoadBase(baseFolder, options);
        try
        {
            var data = PreparedData.Load(spec, tokenizer, baseModel.Config.MaxPositions);
            var suites = SuiteSelection.Resolve(spec, world, target, data.Target?.HeldOut);
            Directory.CreateDirectory(outDirectory);
            var conventions = ConventionsFor(tokenizer);
            var baseLm = new TorchLanguageModel(baseModel, tokenizer, spec.Eval.BatchSize, conventions.Options);
            var request = new BaselineRequest(pretrain.SpecHash, spec.Base.IsPretrained, [.. suites.Select(s => BaselineKey(s))], baseFolder);
            var baseline = Baseline(new SuiteEvaluator(conventions), baseLm, suites, baseFolder, request, options, out var baselineScored);
            ItemResultsFile.Write(Path.Combine(outDirectory, "baseline"), suites.Select(s => baseline[s.Name]), Prompts(suites));
            return new PreparedLab(options, spec, outDirectory, baseFolder, tokenizer, pretrain, target, data, suites, baseModel, baseLm, baseline, baselineScored, world, conventions);
        }
        catch
        {
            baseModel.Dispose();
            throw;
        }
    }

    public BaseModelReport BaseReport() => new(
        Model: ReportAssembly.BaseModelName(spec),
        ModelHash: Pretrain.SpecHash,
        Suites: suites.Select(s => BaseScore(baseline[s.Name].Outcomes)).ToList());

    public void Dispose() => baseModel.Dispose();

    /// <summary>
    /// How suites become lm-eval requests for this base: by its tokenizer alone (<see cref="EvaluationConventions.For"/>),
    /// so a base the lab pre-trained scores the same here as its folder does when registered or loaded by path.
    /// </summary>
    private static EvaluationConventions ConventionsFor(ITokenizer tokenizer) => EvaluationConventions.For(tokenizer);

    private static (string Folder, ITokenizer Tokenizer, PretrainSummary Summary) ResolveBase(LabSpec spec, BuiltInWorld world, LabRunnerOptions options)
    {
        if (!spec.Base.IsPretrained)
        {
            var folder = spec.Base.ModelRef is { } name
                ? options.ModelDirectory ?? throw new InvalidOperationException(
                    $"base.model_ref '{name}' names a model of the platform's registry: submit the spec with `forgetlab submit` (the stand-alone lab takes base.world or base.path)")
                : spec.Base.Path!;
            // Any Hugging Face folder with its tokenizer; one that does not fit config.json's vocab_size is refused naming its file.
            var loaded = BaseTokenizers.Load(folder, ModelFolder.ReadConfig(folder).VocabSize);
            // Its files are its identity (the baseline is keyed by it), not the folder's name.
            return (folder, loaded, new PretrainSummary(ModelFolder.ContentHash(folder), 0, 0, 0, 0, double.NaN));
        }
        // The user's data is encoded with the new tokenizer before the weights pre-train: bad data stops before that, too.
        var cache = new BaseModelCache(options.CacheDirectory, options.Progress)
        {
            CheckBeforePretraining = (tokenizer, context) => PreparedData.Load(spec, tokenizer, context),
        };
        var (baseFolder, summary, tokenizer) = cache.GetOrPretrain(spec, world, options.WorldVariant);
        return (baseFolder, tokenizer, summary);
    }

    /// <summary>
    /// The base's results per suite, computed once per (model, suite definition, scoring build): taken from the
    /// platform when it has them (<see cref="LabRunnerOptions.Baselines"/>), else from the model's
    /// folder (<c>baselines/</c><see cref="BaselineSuiteKey.FileName"/>), else evaluated and kept there. A file
    /// under another name (another build's, or the older <c>{suite}@{version}.json</c>) is never read, and a
    /// damaged one is scored again and rewritten.
    /// </summary>
    internal static Dictionary<string, SuiteEvaluation> Baseline(
        SuiteEvaluator evaluator, ILanguageModel baseLm, IReadOnlyList<SuiteDefinition> suites, string baseFolder, BaselineRequest request, LabRunnerOptions options,
        out int scored)
    {
        scored = 0;
        var cache = Path.Combine(baseFolder, "baselines");
        Directory.CreateDirectory(cache);
        var platform = options.Baselines?.Lookup(request);
        var result = new Dictionary<string, SuiteEvaluation>();
        for (var i = 0; i < suites.Count; i++)
        {
            var suite = suites[i];
            var key = request.Suites[i];
            options.Progress?.Report(new PreparationProgress(PreparationPhase.Baseline, i, suites.Count, suite.Name));
            var (file, source) = (Path.Combine(cache, key.FileName), BaselineSource.Cache);
            if (platform is not null && File.Exists(Path.Combine(platform, key.FileName)))
                (file, source) = (Path.Combine(platform, key.FileName), BaselineSource.Platform);
            if (ReadBaseline(file) is not { } evaluation)
            {
                evaluation = evaluator.Evaluate(baseLm, suite);
                file = Path.Combine(cache, key.FileName);
                BaselineFiles.Write(file, evaluation);
                source = BaselineSource.Evaluated;
                scored++;
            }
            result[suite.Name] = evaluation;
            options.Baselines?.Ready(request, key, source, file);
        }
        options.Progress?.Report(new PreparationProgress(PreparationPhase.Baseline, suites.Count, suites.Count));
        return result;
    }

    private static SuiteEvaluation? ReadBaseline(string file)
    {
        try
        {
            return BaselineFiles.Read(file);
        }
        catch (JsonException)
        {
            return null;   // a damaged file is scored again and rewritten, never trusted
        }
    }

    /// <summary>
    /// Fine-tunes one recipe into <c>runs/{name}/</c>, evaluating every checkpoint on every suite, and
    /// summarises it. With <paramref name="resumeFrom"/> (a verified checkpoint folder of this recipe)
    /// training continues exactly where that checkpoint left off; checkpoints before it are not re-scored.
    /// A run that diverges or fails is summarised as such rather than thrown. Every step, checkpoint and
    /// evaluation is told to <see cref="LabRunnerOptions.Progress"/> as a <see cref="JobEvent"/>.
    /// </summary>
    /// <param name="evaluateResumed">Score the checkpoint resumed from before training on (it was saved but never evaluated).</param>
    public RunReport RunRecipe(RunRecipe recipe, string? resumeFrom, bool evaluateResumed = false) =>
        RunRecipe(recipe, resumeFrom, evaluateResumed, pauseAt: null).Report;

    /// <summary>
    /// <see cref="RunRecipe(Core.Specs.RunRecipe, string?, bool)"/> that, given <paramref name="pauseAt"/> (a checkpoint step
    /// before the last), stops training once that checkpoint is scored and returns its folder as <c>Paused</c>, to resume from
    /// exactly (weights, optimizer, sampler and losses) — the lab's search (<see cref="LabSearch"/>) waits there for the other
    /// runs. Paused is null when the run ended before it (completed, diverged, failed or stopped by early stopping).
    /// </summary>
    internal (RunReport Report, string? Paused) RunRecipe(RunRecipe recipe, string? resumeFrom, bool evaluateResumed, long? pauseAt)
    {
        var runDirectory = Path.Combine(outDirectory, "runs", recipe.Name);
        if (resumeFrom is null && Directory.Exists(runDirectory)) Directory.Delete(runDirectory, recursive: true);
        Directory.CreateDirectory(runDirectory);
        var run = new RecipeProgress(recipe);
        var settings = SpecMapping.Train(recipe.Train, recipe.Seed);
        try
        {
            random.manual_seed(recipe.Seed);
            using var model = LoadBase(BaseFolder, options);
            var (trainable, peft) = MethodSetup.Apply(model, recipe.Method);
            var fineTuning = FineTuningBatches(recipe);
            // After MethodSetup (it anchors the starting weights, estimates the Fisher, freezes the teacher), before training.
            using var plan = ConsolidationPlan.Build(recipe.Train, model, trainable, fineTuning, pretrainDocuments.Value, DocumentFraming.For(tokenizer), recipe.Seed, data.CorporaFor(recipe.Train));
            var lm = new TorchLanguageModel(model, tokenizer, spec.Eval.BatchSize, conventions.Options);
            bool Checkpointed(SavedCheckpoint saved)
            {
                var goOn = ScoreCheckpoint(run, saved, lm, model, plan.EarlyStopping);
                if (!goOn || saved.Step != pauseAt) return goOn;
                run.Paused = Path.GetFullPath(saved.Directory);
                return false;
            }

            // Reward fine-tuning (train.rl) trains with its own loop; the method, the regularisers, early stopping and the scoring are shared.

            var trainer = new Trainer(model, trainable, peft, plan.Data, settings)
            {
                ExtraLoss = plan.ExtraLoss,
                InitialOptimizerState = recipe.Train.OptimizerState == OptimizerState.Pretrain ? PretrainOptimizerState() : null,
                Progress = new InlineProgress<TrainProgress>(t => Stepped(run, t)),
                OnCheckpoint = Checkpointed,
                CheckpointRequested = options.CheckpointRequested,
                OnPreemptionCheckpoint = saved => Report(new PreemptionCheckpointSaved(recipe.Name, saved.Step, Path.GetFullPath(saved.Directory),
                    TrainingCheckpoint.Sha256(Path.Combine(saved.Directory, TrainingCheckpoint.ManifestFile)), run.LastLoss)),
            };
            // Reward fine-tuning (train.rl) trains with its own loop; the method, the regularisers, early stopping and the scoring are shared.
            using var rewardModels = recipe.Train.Rl is { } rm ? Rl.RewardModels.RewardModelSet.Load(rm, options.CacheDirectory, BaseFolder, tokenizer, world.Facts, options.Progress) : null;
            rewardModels?.Write(runDirectory);
            var rl = recipe.Train.Rl is { } rlSpec
                ? RlSetup.Build(rlSpec, settings, model, trainable, peft, RlPairs(), tokenizer, pretrainDocuments.Value, BaseFolder, baseLm, trainer, recipe.Seed, rewardModels)
                : null;
            if (rl is not null)
                run.MeasureRl = saved => rl.Measurements.Measure(model, baseModel, saved.Step, Rl.RlTrainerState.Read(saved.Directory).Beta);
            var startStep = resumeFrom is null ? 0L : ResumedStep(resumeFrom);
            Report(new TrainingStarted(recipe.Name, startStep, settings.Steps, Path.GetFullPath(runDirectory)));
            run.TrainingSince = System.Diagnostics.Stopwatch.GetTimestamp();   // loading the base and building the consolidation plan are not training
            if (resumeFrom is not null && evaluateResumed)
            {
                // The weights alone, to score them as the interrupted job would have; the trainer then loads the whole checkpoint again.
                TrainingCheckpoint.LoadWeights(resumeFrom, model, peft);
                run.LastLoss = TrainingCheckpoint.LastLoss(resumeFrom);
                Checkpointed(new SavedCheckpoint((int)startStep, resumeFrom));
            }
            if (resumeFrom is not null) plan.ResumeAt((int)startStep);
            if (rl is null) return (Conclude(run, trainer.Run(runDirectory, resumeFrom), plan.EarlyStopping, runDirectory), run.Paused);
            var outcome = rl.Trainer.Run(runDirectory, resumeFrom);
            File.WriteAllText(Path.Combine(runDirectory, "rl_log.json"), JsonSerializer.Serialize(rl.Trainer.Log));
            return (Conclude(run, outcome, plan.EarlyStopping, runDirectory), run.Paused);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (Summarise(recipe, RunStatus.Failed, e.Message, run.Checkpoints, run.Assessments), null);
        }
    }

    /// <summary>What a run has produced so far: its scored checkpoints, their assessments and the latest training loss.</summary>
    private sealed class RecipeProgress(RunRecipe recipe)
    {
        public RunRecipe Recipe { get; } = recipe;
        public List<CheckpointReport> Checkpoints { get; set; } = [];
        public List<CheckpointAssessment> Assessments { get; } = [];
        public double? LastLoss { get; set; }

        /// <summary>The folder of the checkpoint the run paused at for the search (<c>pauseAt</c>), once it has.</summary>
        public string? Paused { get; set; }

        /// <summary>Measures a reward-fine-tuned checkpoint (reward, KL, entropy, length); null for supervised runs.</summary>
        public Func<SavedCheckpoint, RlMeasurement>? MeasureRl { get; set; }

        /// <summary>When the training since the last checkpoint (or the job's start) began: the time split in the report.</summary>
        public long TrainingSince { get; set; } = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    private void Report(JobEvent e) => options.Progress?.Report(e);

    /// <summary>What reward fine-tuning samples from: a built-in task's pairs (the completion after one space, as <see cref="FineTuningBatches"/> splits them) or a data file's prompt/completion lines.</summary>
    private IReadOnlyList<PromptCompletion> RlPairs() => data.Target is { } own
        ? own.Pairs
        : [.. target!.Pairs.Select(p => p with { Completion = " " + p.Completion })];

    private IBatchSource FineTuningBatches(RunRecipe recipe)
    {
        // A built-in task's completion follows the prompt after one space (PromptCompletion.Text), split as lm-eval splits a pair.
        var examples = data.Target is { } own
            ? own.Training
            : target!.Pairs.Select(p => tokenizer.EncodePair(p.Prompt, " " + p.Completion)).Select(e => MaskedExample.OfCompletion(e.Context, e.Continuation)).ToList();
        return new MaskedExampleBatches(examples, DocumentFraming.For(tokenizer).StartId, tokenizer.PadOrEos(), (ulong)recipe.Seed);
    }

    private static long ResumedStep(string resumeFrom) =>
        TrainingCheckpoint.Verify(resumeFrom) is { } problem ? throw new InvalidDataException(problem) : TrainingCheckpoint.StepOf(resumeFrom);

    private void Stepped(RecipeProgress run, TrainProgress t)
    {
        run.LastLoss = t.Loss;
        Report(new TrainingProgress(run.Recipe.Name, t.Step, t.TotalSteps, t.Loss, t.StepTokens, t.StepSeconds,
            t.Rl is { } rl ? new JobRlStep(rl.Reward, rl.Components, rl.Kl, rl.Entropy, rl.CompletionLength, rl.Beta) : null));
    }

    /// <summary>A checkpoint was saved: score it, keep its part of the report beside it, and answer whether training goes on (early stopping).</summary>
    private bool ScoreCheckpoint(RecipeProgress run, SavedCheckpoint saved, TorchLanguageModel lm, CausalLanguageModel model, EarlyStopping? stopping)
    {
        var name = run.Recipe.Name;
        var folder = Path.GetFullPath(saved.Directory);
        Report(new CheckpointSaved(name, saved.Step, folder, TrainingCheckpoint.Sha256(Path.Combine(saved.Directory, TrainingCheckpoint.ManifestFile)), run.LastLoss));
        Report(new EvaluationStarted(name, saved.Step));
        var evaluating = System.Diagnostics.Stopwatch.GetTimestamp();
        var trainingSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(run.TrainingSince, evaluating).TotalSeconds;
        var (report, assessment) = EvaluateCheckpoint(name, saved, lm, model);
        var rlMeasurement = run.MeasureRl?.Invoke(saved);   // reward, KL, entropy: part of scoring the checkpoint
        var evalSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(evaluating).TotalSeconds;
        run.Checkpoints.Add(report with { TrainLoss = run.LastLoss, TrainingSeconds = trainingSeconds, EvaluationSeconds = evalSeconds, Rl = rlMeasurement });
        run.Assessments.Add(assessment);
        // Beside items.jsonl: a job that resumes this run later carries it into its own report.
        File.WriteAllText(Path.Combine(saved.Directory, CheckpointFolder.CheckpointReportFile), JsonSerializer.Serialize(run.Checkpoints[^1], ReportJson.Options));
        var goOn = stopping?.Observe(saved.Step, assessment, WatchedSuite(stopping.Suite)) ?? true;
        Report(new CheckpointEvaluated(name, saved.Step, folder, [.. report.Suites.Select(JobSuiteScore.Of)],
            report.Suites.Sum(s => (long)s.N), evalSeconds));
        run.TrainingSince = System.Diagnostics.Stopwatch.GetTimestamp();
        return goOn;
    }

    /// <summary>Training ended: the losses go beside the checkpoints, and the run is summarised by how it ended.</summary>
    private RunReport Conclude(RecipeProgress run, TrainingOutcome outcome, EarlyStopping? stopping, string runDirectory)
    {
        var losses = outcome.Losses.ToList();
        run.Checkpoints = run.Checkpoints.Select(c => c with { TrainLoss = losses.FirstOrDefault(l => l.Step == c.Step)?.Loss ?? c.TrainLoss }).ToList();
        File.WriteAllText(Path.Combine(runDirectory, "losses.json"), JsonSerializer.Serialize(outcome.Losses));
        if (run.Paused is not null)
            return Summarise(run.Recipe, RunStatus.StoppedEarly, $"paused at step {run.Checkpoints[^1].Step} for the search's rung", run.Checkpoints, run.Assessments);
        if (stopping is { StoppedAt: { } stoppedAt })
        {
            // Keep the last checkpoint under the threshold: the run's result is that checkpoint's, not the one that crossed it.
            var kept = stopping.KeptStep;
            var reason = kept is null
                ? $"early stopping: {stopping.Suite} crossed its threshold at step {stoppedAt}; {LabSearch.NoneKept}"
                : $"early stopping: {stopping.Suite} crossed its threshold at step {stoppedAt}; kept step {kept}";
            var keptIndex = run.Checkpoints.FindIndex(c => c.Step == kept);
            return Summarise(run.Recipe, RunStatus.StoppedEarly, reason, run.Checkpoints, keptIndex < 0 ? [] : run.Assessments.Take(keptIndex + 1).ToList());
        }
        var status = outcome.Status switch
        {
            TrainingStatus.Completed => RunStatus.Completed,
            TrainingStatus.Diverged => RunStatus.Diverged,
            _ => RunStatus.StoppedEarly,
        };
        return Summarise(run.Recipe, status, outcome.Reason, run.Checkpoints, run.Assessments);
    }

    /// <summary>The spec's base gates keyed by the suites' own names (the spec writes a suite file by its path).</summary>
    private BaseGates Gates() =>
        new(spec.Eval.BaseGate, spec.Eval.SuiteGates.ToDictionary(g => WatchedSuite(g.Key), g => g.Value, StringComparer.Ordinal));

    /// <summary>The suite's name as the evaluator reports it: a built-in name, or a suite file's own name.</summary>
    private string WatchedSuite(string asWritten) =>
        spec.Suites.Select((s, i) => (s, i)).Where(x => x.s.Name == asWritten).Select(x => suites[x.i].Name).FirstOrDefault() ?? asWritten;

    private string PretrainOptimizerState()
    {
        var path = Path.Combine(BaseFolder, BaseModelCache.OptimizerFile);
        if (!File.Exists(path))
            throw new InvalidOperationException($"{path} is missing: this base was cached before pre-training kept its optimizer state; delete {BaseFolder} to pre-train it again, or use optimizer_state: fresh");
        return path;
    }

    /// <param name="stopBetweenSuites">Asked before each suite after the first: true stops the scoring (<see cref="Jobs.EvaluationPreempted"/>), the suites scored so far kept in the result cache.</param>
    private (CheckpointReport, CheckpointAssessment) EvaluateCheckpoint(
        string run, SavedCheckpoint saved, TorchLanguageModel lm, CausalLanguageModel model, Func<bool>? stopBetweenSuites = null)
    {
        var evaluations = new List<SuiteEvaluation>();
        // Scoring the same weights on the same suite the same way again is read from the cache (EvaluationResultCache).
        var modelKey = EvaluationResultCache.CheckpointKey(saved.Directory, baseKey.Value);
        var setupKey = $"{conventions}|batch={spec.Eval.BatchSize}";
        for (var i = 0; i < suites.Count; i++)
        {
            if (i > 0 && stopBetweenSuites?.Invoke() == true) throw new Jobs.EvaluationPreempted(i, suites.Count);
            Report(new EvaluationProgress(run, saved.Step, i, suites.Count, suites[i].Name));
            var suite = suites[i];
            evaluations.Add(results.GetOrEvaluate(modelKey, suite, setupKey, () => evaluator.Evaluate(lm, suite, baseLm)));
        }
        Report(new EvaluationProgress(run, saved.Step, suites.Count, suites.Count, null));
        ItemResultsFile.Write(saved.Directory, evaluations, prompts);
        var comparisons = evaluations.Select(e => ForgettingAnalysis.Compare(baseline[e.Outcomes.Suite].Outcomes, e.Outcomes, spec.Seed)).ToList();
        var assessment = ForgettingAnalysis.Report(comparisons, Gates());
        var report = new CheckpointReport(saved.Step, null, assessment.Suites) { Drift = ParameterDrift.Compute(baseModel, model) };
        return (report, assessment);
    }

    private static RunReport Summarise(RunRecipe recipe, RunStatus status, string? reason, List<CheckpointReport> checkpoints, List<CheckpointAssessment> assessments)
    {
        var last = assessments.LastOrDefault();
        return new RunReport(
            recipe.Name,
            recipe.Method.Type,
            status,
            Hyperparameters(recipe),
            last?.RunSeverity,
            last?.TargetGainPoints ?? 0,
            last?.ForgettingPoints ?? 0,
            ParetoOptimal: false,
            last?.Suites ?? [],
            checkpoints) { Reason = reason, AtChanceShare = last?.AtChanceShare };
    }

    private static Dictionary<string, string> Hyperparameters(RunRecipe recipe)
    {
        var t = recipe.Train;
        var h = new Dictionary<string, string>
        {
            ["method"] = recipe.Method.Label,
            ["lr"] = GridExpansion.FormatNumber(t.Lr),
            ["steps"] = t.Steps.ToString(CultureInfo.InvariantCulture),
            ["batch_size"] = t.BatchSize.ToString(CultureInfo.InvariantCulture),
            ["warmup_steps"] = t.WarmupSteps.ToString(CultureInfo.InvariantCulture),
            ["schedule"] = SpecNames.Of(t.Schedule),
            ["weight_decay"] = GridExpansion.FormatNumber(t.WeightDecay),
            ["grad_clip"] = GridExpansion.FormatNumber(t.GradClip),
            ["seed"] = recipe.Seed.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in recipe.Method.Hyperparameters()) h[key] = value;
        if (t.Replay is { Ratio: > 0 } replay) h["replay_ratio"] = GridExpansion.FormatNumber(replay.Ratio);
        foreach (var (key, value) in t.Regularizers().SelectMany(r => r.Hyperparameters())) h[key] = value;
        if (t.EarlyStopping is { } stop)
            h["early_stopping"] = $"{stop.Suite} " + (stop.MaxDropPoints is { } points ? $"drop<{points.ToString(CultureInfo.InvariantCulture)}" : $"severity<={stop.MaxSeverity}".ToLowerInvariant());
        if (t.Rl is { } rl) foreach (var (key, value) in rl.Hyperparameters()) h[key] = value;
        if (t.OptimizerState == OptimizerState.Pretrain) h["optimizer_state"] = "pretrain";
        if (t.ComputeDtype != ComputeDtype.Float32) h["compute_dtype"] = SpecNames.Of(t.ComputeDtype);
        return h;
    }

    /// <summary>
    /// The definition a baseline is kept for: the suite's name, version, a hash of its items and the build that scores it
    /// (<see cref="ScoringBuild.Id"/>), here and on the platform (whose workers reuse only an equal definition), so a
    /// baseline scored by another build is scored again rather than set beside this build's checkpoints.
    /// </summary>
    internal static BaselineSuiteKey BaselineKey(SuiteDefinition suite, string? scoring = null) =>
        new(suite.Name, suite.Version, $"{SuiteDefinition.ContentHash(suite.Items)}.{scoring ?? ScoringBuild.Id}");

    /// <summary>Each item's prompt by suite and item id, for the per-item results (items without a prompt are left out).</summary>
    private static Dictionary<(string Suite, string Id), string> Prompts(IEnumerable<SuiteDefinition> suites) =>
        suites.SelectMany(s => s.Items.Select(item => (Key: (s.Name, item.Id), item.Prompt)))
            .Where(p => p.Prompt.Length > 0)
            .DistinctBy(p => p.Key)
            .ToDictionary(p => p.Key, p => p.Prompt);

    private static BaseSuiteScore BaseScore(SuiteOutcomes o) => new(o.Suite, o.Version, o.Category, o.Metric, BaselineFiles.Score(o), o.Values.Count);
}
