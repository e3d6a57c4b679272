using System.Globalization;
using System.Text.Json;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Suites;
using ForgetLab.Lab.Tokenization;
using ForgetLab.Lab.Training;
using ForgetLab.Lab.World;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Experiments;

/// <summary>
/// The stand-alone lab: get the base (pre-trained once, cached by spec hash), score it on every suite
/// (the baseline), fine-tune every recipe of the grid, score every checkpoint on every suite, compare
/// each item with the baseline, and write <c>report.json</c>, <c>report.md</c> and per-item results.
/// A run that diverges or fails is reported as such; the other runs go on.
/// </summary>
public sealed class LabRunner(LabRunnerOptions options)
{
    private readonly SuiteEvaluator evaluator = new();

    public LabResult Run(LabSpec spec, string outDirectory)
    {
        if (options.Threads is { } threads) set_num_threads(threads);
        var world = BuiltInWorld.Load((options.Corpus ?? new WorldCorpusOptions()) with { Seed = spec.Seed }, options.WorldDataDirectory);
        var (baseFolder, tokenizer, pretrain) = ResolveBase(spec, world);
        var target = world.Target(SpecMapping.TargetName(spec.Target.Task), spec.Target.Count, spec.Seed);
        var suites = SuiteSelection.Resolve(spec, world, target);
        var recipes = GridExpansion.Expand(spec);
        Directory.CreateDirectory(outDirectory);

        using var baseModel = ModelFolder.Load(baseFolder);
        var baseLm = new TorchLanguageModel(baseModel, tokenizer, spec.Eval.BatchSize);
        var baseline = Baseline(baseLm, suites, baseFolder);
        ItemResultsFile.Write(Path.Combine(outDirectory, "baseline"), suites.Select(s => baseline[s.Name]));

        var runs = new List<RunReport>();
        foreach (var recipe in recipes)
            runs.Add(RunOne(spec, recipe, target, suites, baseFolder, baseModel, baseLm, tokenizer, baseline, outDirectory));

        var points = runs.Where(r => r.Checkpoints.Count > 0).Select(r => (r.Name, r.TargetGainPoints, r.ForgettingPoints)).ToList();
        var frontier = points.Count == 0 ? [] : ParetoFront.Compute(points);
        runs = runs.Select(r => r with { ParetoOptimal = frontier.Contains(r.Name) }).ToList();
        var report = new ForgettingReport(
            spec.Name,
            DateTimeOffset.UtcNow,
            new BaseModelReport(
                Model: spec.Base.IsPretrained ? $"{spec.Base.World}-gpt2-{spec.Base.Model.NLayer}x{spec.Base.Model.NEmbd}" : spec.Base.Path!,
                ModelHash: pretrain.SpecHash,
                Suites: suites.Select(s => BaseScore(baseline[s.Name].Outcomes)).ToList()),
            runs,
            frontier);
        File.WriteAllText(Path.Combine(outDirectory, "report.json"), ReportJson.Serialize(report));
        File.WriteAllText(Path.Combine(outDirectory, "report.md"), ReportMarkdown.Render(report));
        options.Progress?.Report(new LabEvent(LabPhase.Report, "report", 1, 1, Path.Combine(outDirectory, "report.json")));
        return new LabResult(report, outDirectory, baseFolder, pretrain);
    }

    private (string Folder, ITokenizer Tokenizer, PretrainSummary Summary) ResolveBase(LabSpec spec, BuiltInWorld world)
    {
        if (!spec.Base.IsPretrained)
        {
            var folder = spec.Base.Path!;
            var vocab = Path.Combine(folder, BaseModelCache.VocabFile);
            if (!File.Exists(vocab))
                throw new InvalidOperationException($"{folder}: no {BaseModelCache.VocabFile}; only word-level bases saved by ForgetLab load here for now (BPE tokenizers come with real models)");
            return (folder, WordTokenizer.Load(vocab), new PretrainSummary(Path.GetFileName(folder.TrimEnd('/')), 0, 0, 0, 0, double.NaN));
        }
        var tokenizer = world.BuildTokenizer();
        var (baseFolder, summary) = new BaseModelCache(options.CacheDirectory, options.Progress).GetOrPretrain(spec, world, tokenizer, options.WorldVariant);
        return (baseFolder, tokenizer, summary);
    }

    /// <summary>The base's results per suite, computed once per (model, suite version) and kept in the model's folder.</summary>
    private Dictionary<string, SuiteEvaluation> Baseline(TorchLanguageModel baseLm, IReadOnlyList<SuiteDefinition> suites, string baseFolder)
    {
        var cache = Path.Combine(baseFolder, "baselines");
        Directory.CreateDirectory(cache);
        var result = new Dictionary<string, SuiteEvaluation>();
        for (var i = 0; i < suites.Count; i++)
        {
            var suite = suites[i];
            options.Progress?.Report(new LabEvent(LabPhase.Baseline, "baseline", i, suites.Count, suite.Name));
            var file = Path.Combine(cache, $"{suite.Name}@{suite.Version}.json");
            if (File.Exists(file) && JsonSerializer.Deserialize<SuiteEvaluation>(File.ReadAllText(file), ReportJson.Options) is { } cached)
            {
                result[suite.Name] = cached;
                continue;
            }
            var evaluation = evaluator.Evaluate(baseLm, suite);
            File.WriteAllText(file, JsonSerializer.Serialize(evaluation, ReportJson.Options));
            result[suite.Name] = evaluation;
        }
        options.Progress?.Report(new LabEvent(LabPhase.Baseline, "baseline", suites.Count, suites.Count));
        return result;
    }

    private RunReport RunOne(
        LabSpec spec, RunRecipe recipe, FineTuningTarget target, IReadOnlyList<SuiteDefinition> suites, string baseFolder,
        GptModel baseModel, TorchLanguageModel baseLm, ITokenizer tokenizer, Dictionary<string, SuiteEvaluation> baseline, string outDirectory)
    {
        var runDirectory = Path.Combine(outDirectory, "runs", recipe.Name);
        if (Directory.Exists(runDirectory)) Directory.Delete(runDirectory, recursive: true);
        var checkpoints = new List<CheckpointReport>();
        var assessments = new List<CheckpointAssessment>();
        var settings = SpecMapping.Train(recipe.Train, recipe.Seed);
        try
        {
            random.manual_seed(recipe.Seed);
            using var model = ModelFolder.Load(baseFolder);
            var (trainable, lora) = MethodSetup.Apply(model, recipe.Method);
            var examples = target.Pairs.Select(p => new TokenizedExample(tokenizer.Encode(p.Prompt), tokenizer.Encode(p.Completion))).ToList();
            var data = new PromptCompletionBatches(examples, tokenizer.EosId, tokenizer.PadId, (ulong)recipe.Seed);
            var lm = new TorchLanguageModel(model, tokenizer, spec.Eval.BatchSize);
            List<StepLoss>? losses = null;
            var trainer = new Trainer(model, trainable, lora, data, settings)
            {
                Progress = new InlineProgress<TrainProgress>(t =>
                    options.Progress?.Report(new LabEvent(LabPhase.Train, recipe.Name, t.Step, t.TotalSteps, $"loss {t.Loss:F3}"))),
                OnCheckpoint = saved =>
                {
                    var (report, assessment) = EvaluateCheckpoint(recipe.Name, saved, lm, baseLm, baseModel, model, suites, baseline, spec.Seed);
                    checkpoints.Add(report with { TrainLoss = losses?.LastOrDefault(l => l.Step == saved.Step)?.Loss });
                    assessments.Add(assessment);
                    return true;
                },
            };
            var outcome = trainer.Run(runDirectory);
            losses = outcome.Losses.ToList();
            checkpoints = checkpoints.Select(c => c with { TrainLoss = losses.First(l => l.Step == c.Step).Loss }).ToList();
            File.WriteAllText(Path.Combine(runDirectory, "losses.json"), JsonSerializer.Serialize(outcome.Losses));
            var status = outcome.Status switch
            {
                TrainingStatus.Completed => RunStatus.Completed,
                TrainingStatus.Diverged => RunStatus.Diverged,
                _ => RunStatus.StoppedEarly,
            };
            return Summarise(recipe, status, outcome.Reason, checkpoints, assessments);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Summarise(recipe, RunStatus.Failed, e.Message, checkpoints, assessments);
        }
    }

    private (CheckpointReport, CheckpointAssessment) EvaluateCheckpoint(
        string run, SavedCheckpoint saved, TorchLanguageModel lm, TorchLanguageModel baseLm, GptModel baseModel, GptModel model,
        IReadOnlyList<SuiteDefinition> suites, Dictionary<string, SuiteEvaluation> baseline, int seed)
    {
        var evaluations = new List<SuiteEvaluation>();
        for (var i = 0; i < suites.Count; i++)
        {
            options.Progress?.Report(new LabEvent(LabPhase.Evaluate, run, i, suites.Count, $"step {saved.Step}: {suites[i].Name}"));
            evaluations.Add(evaluator.Evaluate(lm, suites[i], baseLm));
        }
        options.Progress?.Report(new LabEvent(LabPhase.Evaluate, run, suites.Count, suites.Count, $"step {saved.Step}"));
        ItemResultsFile.Write(saved.Directory, evaluations);
        var comparisons = evaluations.Select(e => ForgettingAnalysis.Compare(baseline[e.Outcomes.Suite].Outcomes, e.Outcomes, seed)).ToList();
        var assessment = ForgettingAnalysis.Report(comparisons);
        var report = new CheckpointReport(saved.Step, null, assessment.Suites) { Drift = ParameterDrift.Compute(baseModel, model) };
        return (report, assessment);
    }

    private static RunReport Summarise(RunRecipe recipe, RunStatus status, string? reason, List<CheckpointReport> checkpoints, List<CheckpointAssessment> assessments)
    {
        var last = assessments.LastOrDefault();
        return new RunReport(
            recipe.Name,
            SpecNames.Of(recipe.Method.Type),
            status,
            Hyperparameters(recipe),
            last?.RunSeverity,
            last?.TargetGainPoints ?? 0,
            last?.ForgettingPoints ?? 0,
            ParetoOptimal: false,
            last?.Suites ?? [],
            checkpoints) { Reason = reason };
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
        if (recipe.Method.Lora is { } lora)
        {
            h["lora_rank"] = lora.Rank.ToString(CultureInfo.InvariantCulture);
            h["lora_alpha"] = GridExpansion.FormatNumber(lora.Alpha);
            h["lora_dropout"] = GridExpansion.FormatNumber(lora.Dropout);
            h["lora_target_modules"] = string.Join(",", lora.TargetModules);
        }
        return h;
    }

    private static BaseSuiteScore BaseScore(SuiteOutcomes o) =>
        new(o.Suite, o.Version, o.Category, o.Metric, o.Kind == OutcomeKind.Binary ? 100.0 * o.Values.Average() : o.Values.Average(), o.Values.Count);
}
