using System.CommandLine;
using ForgetLab.Core.Jobs;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Jobs;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.Training;
using ForgetLab.Lab.World;
using Spectre.Console;

namespace ForgetLab.Cli.Commands;

/// <summary><c>forgetlab lab …</c>: the stand-alone lab (pre-train, fine-tune the grid, evaluate, report).</summary>
internal static class LabCommands
{
    public static Command Create()
    {
        var threads = new Option<int?>("--threads") { Description = "torch CPU threads (default: all cores)" };

        var runSpec = new Argument<string>("spec") { Description = "experiment spec (YAML)" };
        var outDir = new Option<string?>("--out") { Description = "output folder (default: out/<spec name>)" };
        var run = new Command("run", "pre-train the base (cached), fine-tune every recipe of the grid, evaluate every checkpoint, report") { runSpec, outDir, threads };
        run.SetAction(parse => Exit.Guard(() =>
        {
            var spec = SpecLoader.LoadFile(parse.GetValue(runSpec)!);
            if (spec.IsEvaluationOnly)
                throw new SpecUsageException($"{parse.GetValue(runSpec)}: the spec lists models to evaluate (evaluate) and trains nothing; run it with `forgetlab lab eval`");
            if (spec.Base.ModelRef is { } modelRef)
                throw new SpecUsageException($"{parse.GetValue(runSpec)}: base.model_ref '{modelRef}' names a model of the platform's registry; submit the spec with `forgetlab submit` (the stand-alone lab takes base.world or base.path)");
            var output = parse.GetValue(outDir) ?? Path.Combine("out", spec.Name);
            if (CpuBfloat16.SlowTrainingWarning(spec) is { } slow) AnsiConsole.MarkupLineInterpolated($"[yellow]warning: {slow}[/]");
            var result = LabProgressDisplay.Run(progress =>
                new LabRunner(new LabRunnerOptions { Threads = parse.GetValue(threads), Progress = progress }).Run(spec, output));
            ReportTable.Write(result.Report);
            AnsiConsole.MarkupLineInterpolated($"[grey]base {result.BaseFolder} (pre-trained in {result.Pretrain.Seconds:F0} s at {result.Pretrain.TokensPerSecond:N0} tokens/s); {result.SuitesScored} suite(s) scored, {result.SuitesFromCache} read from the result cache[/]");
            AnsiConsole.MarkupLineInterpolated($"report: [bold]{Path.Combine(output, "report.json")}[/], {Path.Combine(output, "report.md")}; per-item results under {output}/");
            return 0;
        }));

        var pretrainSpec = new Argument<string>("spec") { Description = "experiment spec (YAML) whose base to pre-train" };
        var probeEvery = new Option<int?>("--probe-every") { Description = "score the base on the spec's knowledge and skill suites every N pre-training steps and at the last (kept in pretrain.json)" };
        var probeSuites = new Option<string[]>("--probe-suite") { Description = "a suite of the spec to probe instead (repeatable)", AllowMultipleArgumentsPerToken = false };
        var pretrain = new Command("pretrain", "pre-train the spec's base model into the model cache (once per spec hash)") { pretrainSpec, threads, probeEvery, probeSuites };
        pretrain.SetAction(parse => Exit.Guard(() =>
        {
            var spec = SpecLoader.LoadFile(parse.GetValue(pretrainSpec)!);
            if (!spec.Base.IsPretrained)
                throw new SpecUsageException($"{parse.GetValue(pretrainSpec)}: base.{(spec.Base.ModelRef is null ? "path" : "model_ref")} is set; there is nothing to pre-train");
            if (parse.GetValue(threads) is { } t) TorchSharp.torch.set_num_threads(t);
            var options = new LabRunnerOptions();
            var world = BuiltInWorld.Load(new WorldCorpusOptions(Seed: spec.Seed));
            var named = parse.GetValue(probeSuites) ?? [];
            if (named.Length > 0 && parse.GetValue(probeEvery) is null) throw new SpecUsageException("--probe-suite needs --probe-every N");
            PretrainProbe? probe;
            try
            {
                probe = parse.GetValue(probeEvery) is { } every ? PretrainProbe.For(spec, world, every, named) : null;
            }
            catch (ArgumentException e)
            {
                throw new SpecUsageException(e.Message);
            }
            var cache = new BaseModelCache(options.CacheDirectory) { Probe = probe };
            if (probe is not null && cache.Contains(SpecHash.ForBase(spec)))
                AnsiConsole.MarkupLine("[yellow]the base is already cached, so it is not pre-trained or probed again; its pretrain.json keeps the probes it was made with[/]");
            var (folder, summary, _) = LabProgressDisplay.Run(progress =>
                new BaseModelCache(options.CacheDirectory, progress) { Probe = probe }.GetOrPretrain(spec, world));
            AnsiConsole.MarkupLineInterpolated($"base model: [bold]{folder}[/] ({summary.Steps} steps, {summary.Tokens:N0} tokens, {summary.Seconds:F0} s, final loss {summary.FinalLoss:F3})");
            if (summary.Probes is { Count: > 0 } probes) ProbeTable(probes);
            return 0;
        }));

        return new Command("lab", "run forgetting experiments on this machine") { run, Eval(threads), pretrain, Job(threads), Export() };
    }

    /// <summary>
    /// <c>lab eval SPEC [--out DIR]</c>: an evaluation-only spec (<c>evaluate:</c> model folders, checkpoints, PEFT adapters trained
    /// elsewhere) scored against its base and reported as <c>lab run</c> reports its runs; nothing is trained.
    /// </summary>
    private static Command Eval(Option<int?> threads)
    {
        var specFile = new Argument<string>("spec") { Description = "an evaluation-only spec (YAML): a base and evaluate: [{ name, path }]" };
        var outDir = new Option<string?>("--out") { Description = "output folder (default: out/<spec name>)" };
        var eval = new Command("eval", "evaluate models trained elsewhere (model folders, checkpoints, PEFT adapters) against their base on every suite, report") { specFile, outDir, threads };
        eval.SetAction(parse => Exit.Guard(() =>
        {
            var spec = SpecLoader.LoadFile(parse.GetValue(specFile)!);
            if (!spec.IsEvaluationOnly)
                throw new SpecUsageException($"{parse.GetValue(specFile)}: the spec has no evaluate list; `forgetlab lab run` trains its grid");
            if (spec.Base.ModelRef is { } modelRef)
                throw new SpecUsageException($"{parse.GetValue(specFile)}: base.model_ref '{modelRef}' names a model of the platform's registry; submit the spec with `forgetlab submit` (the stand-alone lab takes base.world or base.path)");
            var output = parse.GetValue(outDir) ?? Path.Combine("out", spec.Name);
            var result = LabProgressDisplay.Run(progress =>
                new LabEvaluator(new LabRunnerOptions { Threads = parse.GetValue(threads), Progress = progress }).Evaluate(spec, output));
            ReportTable.Write(result.Report);
            AnsiConsole.MarkupLineInterpolated($"[grey]base {result.BaseFolder}; {result.SuitesScored} suite(s) scored, {result.SuitesFromCache} read from the result cache[/]");
            AnsiConsole.MarkupLineInterpolated($"report: [bold]{Path.Combine(output, "report.json")}[/], {Path.Combine(output, "report.md")}; per-item results under {output}/");
            return 0;
        }));
        return eval;
    }

    /// <summary>The probes as a table: a row per probed step, a column per suite.</summary>
    private static void ProbeTable(IReadOnlyList<PretrainProbeScore> probes)
    {
        var suites = probes.Select(p => p.Suite).Distinct().ToList();
        var table = new Table().AddColumn("step");
        foreach (var suite in suites) table.AddColumn(new TableColumn(suite).RightAligned());
        foreach (var step in probes.GroupBy(p => p.Step))
            table.AddRow([step.Key.ToString(System.Globalization.CultureInfo.InvariantCulture),
                .. suites.Select(s => step.FirstOrDefault(p => p.Suite == s)?.Score.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) ?? "")]);
        AnsiConsole.Write(table);
    }

    /// <summary>
    /// <c>lab export CHECKPOINT --base DIR --out DIR [--max-shard-size 5GB]</c>: a run's checkpoint as a complete
    /// Hugging Face model folder (LoRA and (IA)³ merged), with the base's tokenizer files.
    /// </summary>
    private static Command Export()
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "a run's checkpoint folder (out/<spec>/runs/<run>/step-N)" };
        var baseDir = new Option<string>("--base") { Description = "the run's base model folder (`lab run` prints it: base …)", Required = true };
        var outDir = new Option<string>("--out") { Description = "the model folder to write", Required = true };
        var maxShard = new Option<string>("--max-shard-size") { Description = "shard the weights past this size (bytes, or with TB/GB/MB/KB; transformers' default 5GB)", DefaultValueFactory = _ => "5GB" };
        var export = new Command("export", "save a run's checkpoint as a Hugging Face model folder (config.json, sharded safetensors, tokenizer files)") { checkpoint, baseDir, outDir, maxShard };
        export.SetAction(parse => Exit.Guard(() =>
        {
            var (bytes, error) = Lab.Model.Weights.ShardPlan.Parse(parse.GetValue(maxShard)!);
            if (bytes is null) throw new SpecUsageException($"--max-shard-size: {error}");
            string method;
            try
            {
                method = CheckpointExport.Export(parse.GetValue(checkpoint)!, parse.GetValue(baseDir)!, parse.GetValue(outDir)!, bytes.Value);
            }
            catch (InvalidDataException e)
            {
                throw new SpecUsageException(e.Message);
            }
            AnsiConsole.MarkupLineInterpolated($"model folder: [bold]{parse.GetValue(outDir)}[/] ({method}{(method is "lora" or "ia3" ? ", merged" : "")})");
            return 0;
        }));
        return export;
    }

    /// <summary>
    /// <c>lab job SPEC --run NAME --out DIR [--resume DIR]</c>: one run of the grid, as the worker's child
    /// process. Stdout carries only <see cref="JobEvent"/> JSON lines; exit 0 when the run reached an
    /// outcome (a diverged or failed run included, told by its <c>finished</c> event), 1 when the job could not run (told by a <c>failed</c> event).
    /// </summary>
    private static Command Job(Option<int?> threads)
    {
        var spec = new Argument<string>("spec") { Description = "experiment spec (YAML)" };
        var runName = new Option<string[]>("--run")
        {
            Description = "the run of the grid to train, or the evaluate entry to score; repeated, several entries of an evaluation-only spec scored on one base loaded once",
            Required = true, AllowMultipleArgumentsPerToken = false,
        };
        var outDir = new Option<string>("--out") { Description = "output folder (runs/<name>/step-N/ checkpoints, run-report.json)", Required = true };
        var resume = new Option<string?>("--resume") { Description = "a checkpoint folder (step-N) of this run to resume from exactly" };
        var evaluateResumed = new Option<bool>("--evaluate-resumed") { Description = "score the --resume checkpoint before training on (it was saved but never evaluated)" };
        var earlierReports = new Option<string?>("--earlier-reports") { Description = "a folder of step-N.json checkpoint reports that earlier jobs of this run made, carried into this run's report (with --resume)" };
        var worldData = new Option<string?>("--world-data") { Description = "another folder of world facts (tests use small worlds); default: $FORGETLAB_WORLD_DATA, else the built-in world" };
        var modelDir = new Option<string?>("--model-dir") { Description = "the folder of the registered model the spec's base.model_ref names (the worker downloads it)" };
        var evaluatedDir = new Option<string[]>("--evaluated-dir")
        {
            Description = "NAME=FOLDER: the folder of the registered model (or adapter) the evaluate entry NAME names by model_ref (the worker downloads it); a plain FOLDER is the one --run's; repeatable",
            AllowMultipleArgumentsPerToken = false,
        };
        var platformPaths = new Option<bool>("--platform-paths") { Description = "the spec is a tenant's: it may name files only inside --spec-dir (none without it), as on the server" };
        var specDir = new Option<string?>("--spec-dir") { Description = "the operator's spec directory (with --platform-paths)" };
        var datasets = new Option<string[]>("--dataset") { Description = "NAME=FOLDER: where the registered data set a spec's data_ref names is (the worker downloads and verifies it); repeatable", AllowMultipleArgumentsPerToken = false };
        var exchange = new Option<bool>("--baseline-exchange") { Description = "ask the host for the platform's recorded baselines (baseline_lookup event, answered on stdin) and report each one used" };
        var checkpointSignal = new Option<string?>("--checkpoint-signal")
        {
            Description = "a file the host creates to ask for a checkpoint now (preemption): the job saves one after the current training step, reports it (preemption_checkpoint_saved) and exits 0",
        };
        var job = new Command("job", "train and evaluate one run of the grid, printing events as JSON lines (the worker's child-process protocol)")
            { spec, runName, outDir, resume, evaluateResumed, earlierReports, worldData, threads, exchange, modelDir, evaluatedDir, platformPaths, specDir, checkpointSignal, datasets };
        job.SetAction(parse =>
        {
            var stdout = Console.Out;
            // Tests that must stop a worker mid-run slow training down (milliseconds per step); nothing else sets it.
            var stepDelay = int.TryParse(Environment.GetEnvironmentVariable("FORGETLAB_JOB_STEP_DELAY_MS"), out var ms) ? ms : 0;
            void Emit(JobEvent e)
            {
                if (stepDelay > 0 && e is TrainingProgress) Thread.Sleep(stepDelay);
                lock (stdout)
                {
                    stdout.WriteLine(JobProtocol.ToJsonLine(e));
                    stdout.Flush();
                }
            }

            WatchParent();
            try
            {
                var data = parse.GetValue(worldData) ?? (Environment.GetEnvironmentVariable("FORGETLAB_WORLD_DATA") is { Length: > 0 } d ? d : null);
                var options = new LabRunnerOptions
                {
                    Threads = parse.GetValue(threads), WorldDataDirectory = data, ModelDirectory = parse.GetValue(modelDir),
                    Warning = message => Console.Error.WriteLine("warning: " + message),
                    Baselines = parse.GetValue(exchange) ? new JobBaselineExchange(Emit, Console.In) : null,
                    // One stat per training step: cheap beside the step itself.
                    CheckpointRequested = parse.GetValue(checkpointSignal) is { Length: > 0 } signal ? () => File.Exists(signal) : null,
                };
                var specPath = parse.GetValue(spec)!;
                var folders = DatasetFolders(parse.GetValue(datasets) ?? []);
                var labSpec = parse.GetValue(platformPaths)
                    ? SpecLoader.ParseUnder(File.ReadAllText(specPath), specPath, SpecFiles.ForPlatform(parse.GetValue(specDir)) with { DatasetFolders = folders })
                    : folders.Count > 0
                        ? SpecLoader.ParseUnder(File.ReadAllText(specPath), specPath, SpecFiles.Local(Path.GetDirectoryName(Path.GetFullPath(specPath))!) with { DatasetFolders = folders })
                        : SpecLoader.LoadFile(specPath);
                var runs = parse.GetValue(runName)!;
                if (labSpec.IsEvaluationOnly)
                    // Nothing to resume: a lease that was lost or preempted evaluates the models again, reading the suites already scored from the result cache.
                    new EvaluationJob(options with { EvaluatedModelDirectories = EvaluatedFolders(parse.GetValue(evaluatedDir) ?? [], runs) }) { Events = Emit }
                        .Run(labSpec, runs, parse.GetValue(outDir)!);
                else if (runs.Length != 1)
                    throw new ArgumentException($"--run names {runs.Length} runs; a grid's job trains one (only an evaluation-only spec's entries share a job)");
                else
                    new RecipeJob(options) { Events = Emit }.Run(labSpec, runs[0], parse.GetValue(outDir)!, parse.GetValue(resume), parse.GetValue(evaluateResumed),
                        parse.GetValue(earlierReports));
                return 0;
            }
            catch (Exception e) when (e is TrainingPreempted or EvaluationPreempted)
            {
                // Its checkpoint is reported (preemption_checkpoint_saved); the run goes on from it elsewhere.
                return 0;
            }
            catch (Exception e)
            {
                Console.Error.WriteLine(e);
                var runs = parse.GetValue(runName) ?? [];
                Emit(new JobFailed(runs.Length == 1 ? runs[0] : null, e.Message));
                return Exit.Failure;
            }
        });
        return job;
    }

    /// <summary>The <c>--evaluated-dir NAME=FOLDER</c> options as a map; a plain FOLDER belongs to the job's one run.</summary>
    private static Dictionary<string, string> EvaluatedFolders(IEnumerable<string> values, IReadOnlyList<string> runs)
    {
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var at = value.IndexOf('=', StringComparison.Ordinal);
            if (at > 0 && runs.Contains(value[..at])) folders[value[..at]] = value[(at + 1)..];
            else if (runs.Count == 1) folders[runs[0]] = value;
            else throw new ArgumentException($"--evaluated-dir {value}: expected NAME=FOLDER, NAME one of the --run entries ({string.Join(", ", runs)})");
        }
        return folders;
    }

    /// <summary>The <c>--dataset NAME=FOLDER</c> options as a map.</summary>
    private static Dictionary<string, string> DatasetFolders(IEnumerable<string> values)
    {
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var at = value.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0) throw new ArgumentException($"--dataset {value}: expected NAME=FOLDER");
            folders[value[..at]] = value[(at + 1)..];
        }
        return folders;
    }

    /// <summary>
    /// A worker names itself in <c>FORGETLAB_JOB_PARENT_PID</c>: when that process is gone (killed with -9,
    /// so it could not stop its jobs) the job ends too, rather than train on with nobody to hear it.
    /// </summary>
    private static void WatchParent()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("FORGETLAB_JOB_PARENT_PID"), out var parent)) return;
        var thread = new Thread(() =>
        {
            while (true)
            {
                Thread.Sleep(1000);
                if (!IsAlive(parent))
                {
                    Console.Error.WriteLine($"forgetlab: the worker (PID {parent}) is gone; stopping the job");
                    Environment.Exit(3);
                }
            }
        }) { IsBackground = true, Name = "parent-watch" };
        thread.Start();
    }

    /// <summary>Alive and not a zombie (a worker killed with -9 stays a zombie until its parent reaps it).</summary>
    internal static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var state = stat[stat.LastIndexOf(')') + 2];
                return state is not ('Z' or 'X');
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return true;
            }
        }
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
