using System.Text.Json;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Core.Jobs;
using ForgetLab.Core.Reports;
using ForgetLab.Lab.Evaluated;
using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Training;

namespace ForgetLab.Lab.Runs;

/// <summary>
/// The base's weights are read from disk here, and only here, announced as <c>load_base</c>; and models trained
/// elsewhere (an evaluation-only spec's <c>evaluate</c> entries) are scored as a run with one checkpoint, step 0,
/// against the same baseline with the same paired statistics as a run trained here.
/// </summary>
internal sealed partial class PreparedLab
{
    /// <summary>What an evaluated run's step-0 folder says it holds (<c>evaluated.json</c>), beside its per-item results.</summary>
    public const string EvaluatedFile = "evaluated.json";

    /// <summary>
    /// The base's config when it is known without pre-training: a folder's (or registered model's) config.json, or a world
    /// base with the world's word tokenizer (<see cref="WorldBaseConfig"/>); null for a world base whose tokenizer is trained first.
    /// </summary>
    private static Core.Models.IModelConfig? KnownBaseConfig(Core.Specs.LabSpec spec, World.BuiltInWorld world, LabRunnerOptions options)
    {
        if (!spec.Base.IsPretrained)
            return (spec.Base.Path ?? options.ModelDirectory) is { } folder ? ModelFolder.ReadConfig(folder) : null;
        return spec.Base.Tokenizer.IsWord ? WorldBaseConfig.For(spec.Base, world.BuildTokenizer().VocabSize) : null;
    }

    private static CausalLanguageModel LoadBase(string folder, LabRunnerOptions options)
    {
        var model = ModelFolder.Load(folder);
        options.Progress?.Report(new PreparationProgress(PreparationPhase.LoadBase, 1, 1, folder));
        return model;
    }

    /// <summary>
    /// Scores one model into <c>runs/{name}/step-0/</c> (the base in memory, an adapter put on a copy of it) and summarises it
    /// as a run: completed with that checkpoint's assessment, or failed with the reason when it could not be loaded or scored.
    /// Tells the same events a trained run's checkpoint does (saved, evaluation started, progress, evaluated).
    /// </summary>
    public RunReport EvaluateModel(EvaluatedModel evaluated)
    {
        var name = evaluated.Entry.Name;
        var runDirectory = Path.Combine(outDirectory, "runs", name);
        if (Directory.Exists(runDirectory)) Directory.Delete(runDirectory, recursive: true);
        var folder = Path.GetFullPath(Path.Combine(runDirectory, CheckpointFolder.FolderName(0)));
        var hyperparameters = EvaluatedHyperparameters(evaluated);
        try
        {
            WriteRecord(folder, evaluated);
            using var model = EvaluatedModels.Load(evaluated, baseModel);
            var lm = new TorchLanguageModel(model, tokenizer, spec.Eval.BatchSize, conventions.Options);
            Report(new CheckpointSaved(name, 0, folder, CheckpointFolder.Sha256(Path.Combine(folder, CheckpointFolder.ManifestFile)), null));
            Report(new EvaluationStarted(name, 0));
            var evaluating = System.Diagnostics.Stopwatch.GetTimestamp();
            // A preempted job stops between suites and reports its step-0 folder as the preemption checkpoint; the job that resumes the
            // run writes the same folder and reads the suites scored here from the result cache.
            var (scored, assessment) = EvaluateCheckpoint(name, new SavedCheckpoint(0, folder), lm, model, StopForPreemption(name, folder));
            var evalSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(evaluating).TotalSeconds;
            var report = scored with { TrainingSeconds = 0, EvaluationSeconds = evalSeconds };   // nothing was trained here
            File.WriteAllText(Path.Combine(folder, CheckpointFolder.CheckpointReportFile), JsonSerializer.Serialize(report, ReportJson.Options));
            Report(new CheckpointEvaluated(name, 0, folder, [.. report.Suites.Select(JobSuiteScore.Of)],
                report.Suites.Sum(s => (long)s.N), evalSeconds));
            return new RunReport(name, evaluated.Method, RunStatus.Completed, hyperparameters, assessment.RunSeverity, assessment.TargetGainPoints,
                assessment.ForgettingPoints, ParetoOptimal: false, assessment.Suites, [report]) { AtChanceShare = assessment.AtChanceShare };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new RunReport(name, evaluated.Method, RunStatus.Failed, hyperparameters, null, 0, 0, ParetoOptimal: false, [], []) { Reason = e.Message };
        }
    }

    /// <summary>Asks the host whether to stop now (<see cref="LabRunnerOptions.CheckpointRequested"/>) and, when so, reports the preemption checkpoint first.</summary>
    private Func<bool>? StopForPreemption(string name, string folder) => options.CheckpointRequested is not { } requested ? null : () =>
    {
        if (!requested()) return false;
        Report(new PreemptionCheckpointSaved(name, 0, folder, CheckpointFolder.Sha256(Path.Combine(folder, CheckpointFolder.ManifestFile)), null));
        return true;
    };

    /// <summary>
    /// <c>evaluated.json</c> (what was evaluated, and the hash of its files), <c>trainer_state.json</c> with step 0 (nothing was
    /// trained here; a checkpoint folder's step is read from it) and the manifest: the folder is a checkpoint folder in Core's
    /// layout, so the worker uploads and records it as it does a trained run's.
    /// </summary>
    private static void WriteRecord(string folder, EvaluatedModel evaluated)
    {
        Directory.CreateDirectory(folder);
        var record = new Dictionary<string, object?>
        {
            ["name"] = evaluated.Entry.Name,
            ["kind"] = evaluated.Description,
            ["method"] = evaluated.Method,
            ["path"] = evaluated.Entry.Path,
            ["model_ref"] = evaluated.Entry.ModelRef,
            ["files_sha256"] = evaluated.FilesHash(),
        };
        File.WriteAllText(Path.Combine(folder, EvaluatedFile), JsonSerializer.Serialize(record, new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText(Path.Combine(folder, CheckpointFolder.TrainerStateFile), """{ "step": 0 }""");
        CheckpointFolder.WriteManifest(folder);
    }

    private static Dictionary<string, string> EvaluatedHyperparameters(EvaluatedModel evaluated)
    {
        var h = new Dictionary<string, string> { ["method"] = evaluated.Method, ["evaluated"] = evaluated.Description };
        if (evaluated.Entry.ModelRef is { } modelRef) h["model_ref"] = modelRef;
        else h["path"] = evaluated.Entry.Path!;
        if (evaluated.Peft is { } peft) h["adapter"] = PeftLabel(peft);
        return h;
    }

    private static string PeftLabel(Peft.IPeftMethod peft) => peft switch
    {
        Peft.LoraSettings l => $"r{l.Rank} alpha {l.Alpha} on {string.Join(",", l.TargetModules)}",
        Peft.Ia3Settings i => $"on {string.Join(",", i.TargetModules)}",
        _ => peft.Method,
    };
}
