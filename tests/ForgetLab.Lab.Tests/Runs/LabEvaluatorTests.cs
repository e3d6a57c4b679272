using System.Text.Json.Nodes;
using ForgetLab.Core.Jobs;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Evaluated;
using ForgetLab.Lab.Jobs;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Model.Gpt2;
using ForgetLab.Lab.Model.Weights;
using ForgetLab.Lab.Peft;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.Tests.Jobs;
using ForgetLab.Lab.World;
using ForgetLab.Server.Tests;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Runs;

/// <summary>
/// <c>lab eval</c>: models trained elsewhere — PEFT adapters, model folders — scored against their base and reported as runs,
/// the base read from disk once; and every entry that does not fit the base refused, naming its file, before anything runs.
/// </summary>
public class LabEvaluatorTests
{
    private const string Suites = "target, capitals_recall, kl_to_base";

    [Fact]
    public void ThreeAdaptersOnOneBaseAreEvaluatedAsThreeRunsWithTheBaseLoadedOnce()
    {
        var (baseFolder, options) = TinyBase();
        var zero = LoraAdapter(baseFolder, seed: 1, scale: 0);
        var small = LoraAdapter(baseFolder, seed: 2, scale: 0.05f);
        var large = LoraAdapter(baseFolder, seed: 3, scale: 2);
        var spec = EvalSpec(baseFolder, ("lora-zero", zero), ("lora-small", small), ("lora-large", large));
        var events = new List<JobEvent>();
        var outDir = TinyModels.TempDirectory();

        var result = new LabEvaluator(options with { Progress = new InlineProgress<JobEvent>(events.Add) }).Evaluate(spec, outDir);

        Assert.Single(events, e => e is PreparationProgress { Phase: PreparationPhase.LoadBase });
        var report = result.Report;
        Assert.Equal(["lora-zero", "lora-small", "lora-large"], report.Runs.Select(r => r.Name));
        Assert.All(report.Runs, r =>
        {
            Assert.Equal(RunStatus.Completed, r.Status);
            Assert.Equal("lora", r.Method);
            Assert.Equal(["target", "capitals_recall", "kl_to_base"], r.Suites.Select(s => s.Suite));
            Assert.Equal([0L], r.Checkpoints.Select(c => c.Step));
            Assert.Equal(0, r.Checkpoints[0].TrainingSeconds);
            Assert.True(r.Checkpoints[0].EvaluationSeconds > 0);
            Assert.True(File.Exists(Path.Combine(outDir, "runs", r.Name, "step-0", "items.jsonl")));
        });
        // B = 0 is the base exactly: the adapter went onto the base's own weights.
        Assert.All(report.Runs[0].Suites, s => Assert.Equal(0, s.DeltaPoints));
        var kl = report.Runs.Select(r => r.Suites.Single(s => s.Suite == "kl_to_base").Score).ToList();
        Assert.True(kl[0] == 0 && kl[1] > 0 && kl[2] > kl[1], $"KL to the base grows with the adapter: {string.Join(", ", kl)}");
        Assert.NotEmpty(report.Frontier);
        Assert.All(report.Frontier, name => Assert.Contains(name, report.Runs.Select(r => r.Name)));
        Assert.Equal(["target", "capitals_recall", "kl_to_base"], report.Base.Suites.Select(s => s.Suite));
        Assert.True(File.Exists(Path.Combine(outDir, "report.json")) && File.Exists(Path.Combine(outDir, "report.md")));
    }

    [Fact]
    public void AModelFolderOfTheBasesConfigIsEvaluatedWithItsOwnWeights()
    {
        var (baseFolder, options) = TinyBase();
        var same = CopyFolder(baseFolder);
        var changed = TinyModels.TempDirectory();
        using (var model = ModelFolder.Load(baseFolder))
        {
            using (no_grad()) model.get_parameter("transformer.wte.weight")!.mul_(0.5);
            ModelFolder.Save(model, changed);
        }
        var spec = EvalSpec(baseFolder, ("same", same), ("changed", changed));

        var report = new LabEvaluator(options).Evaluate(spec, TinyModels.TempDirectory()).Report;

        Assert.Equal(["full", "full"], report.Runs.Select(r => r.Method));
        Assert.All(report.Runs[0].Suites, s => Assert.Equal(0, s.DeltaPoints));
        Assert.True(report.Runs[1].Suites.Single(s => s.Suite == "kl_to_base").Score > 0);
    }

    [Fact]
    public void OneJobForThreeEntriesLoadsTheBaseOnceAndReportsEachAsItsOwnRunWithTheLabsScores()
    {
        var (baseFolder, options) = TinyBase();
        var spec = EvalSpec(baseFolder, ("lora-a", LoraAdapter(baseFolder, seed: 6, scale: 0.3f)), ("lora-b", LoraAdapter(baseFolder, seed: 7, scale: 0.6f)),
            ("lora-c", LoraAdapter(baseFolder, seed: 8, scale: 1f)));
        var events = new List<JobEvent>();
        var outDir = TinyModels.TempDirectory();

        var reports = new EvaluationJob(options) { Events = events.Add }.Run(spec, ["lora-a", "lora-b", "lora-c"], outDir);
        var lab = new LabEvaluator(options).Evaluate(spec, TinyModels.TempDirectory()).Report;

        Assert.Single(events, e => e is PreparationProgress { Phase: PreparationPhase.LoadBase });
        Assert.Equal(["lora-a", "lora-b", "lora-c"], events.OfType<RunFinished>().Select(e => e.Run));
        foreach (var name in new[] { "lora-a", "lora-b", "lora-c" })
        {
            Assert.Equal(["checkpoint_saved", "evaluation_started", "checkpoint_evaluated", "finished"],
                events.Where(e => e is not PreparationProgress && RunOf(e) == name).Select(e => e.Name));
            Assert.True(File.Exists(Path.Combine(outDir, "runs", name, "run-report.json")));
        }
        // The platform's one job and the lab's `lab eval` give each entry the same scores.
        Assert.Equal(lab.Runs.Select(r => r.Suites.Select(s => (s.Suite, s.Score, s.DeltaPoints)).ToList()),
            reports.Select(r => r.Suites.Select(s => (s.Suite, s.Score, s.DeltaPoints)).ToList()));
    }

    private static string? RunOf(JobEvent e) => e switch
    {
        CheckpointSaved c => c.Run,
        EvaluationStarted s => s.Run,
        CheckpointEvaluated c => c.Run,
        RunFinished f => f.Run,
        _ => null,
    };

    [Fact]
    public void AJobEvaluatesOneEntryWithTheEventsOfOneCheckpointAndTheSameFolderEachTime()
    {
        var (baseFolder, options) = TinyBase();
        var spec = EvalSpec(baseFolder, ("lora-a", LoraAdapter(baseFolder, seed: 4, scale: 0.5f)), ("lora-b", LoraAdapter(baseFolder, seed: 5, scale: 0.5f)));
        var events = new List<JobEvent>();
        var again = new List<JobEvent>();

        var report = new EvaluationJob(options) { Events = events.Add }.Run(spec, "lora-b", TinyModels.TempDirectory());
        new EvaluationJob(options) { Events = again.Add }.Run(spec, "lora-b", TinyModels.TempDirectory());

        Assert.Equal(RunStatus.Completed, report.Status);
        Assert.Equal(["checkpoint_saved", "evaluation_started", "checkpoint_evaluated", "finished"],
            events.Where(e => e is not PreparationProgress).Select(e => e.Name));
        Assert.Equal(0, events.OfType<CheckpointSaved>().Single().Step);
        // A lease that was lost evaluates again and reports the same checkpoint, so the run grain hears it as a duplicate.
        Assert.Equal(events.OfType<CheckpointSaved>().Single().Sha256, again.OfType<CheckpointSaved>().Single().Sha256);
        var finished = Assert.IsType<RunFinished>(events[^1]);
        Assert.True(File.Exists(Path.Combine(finished.Folder, RecipeJob.RunReportFile)));
        Assert.Throws<ArgumentException>(() => new EvaluationJob(options).Run(spec, "no-such-entry", TinyModels.TempDirectory()));
    }

    [Fact]
    public void APreemptedEvaluationOnlyJobStopsBeforeItsNextSuiteAndTheResumedJobScoresOnlyTheRest()
    {
        var (baseFolder, options) = TinyBase();
        var spec = EvalSpec(baseFolder, ("lora-a", LoraAdapter(baseFolder, seed: 4, scale: 0.5f)));
        var uninterrupted = new EvaluationJob(options with { CacheDirectory = TinyModels.TempDirectory() }).Run(spec, "lora-a", TinyModels.TempDirectory());
        var results = Path.Combine(options.CacheDirectory, ForgetLab.Lab.Evaluation.EvaluationResultCache.FolderName);
        var events = new List<JobEvent>();

        // Asked at once: the first suite is scored, the job stops before the second and reports its step-0 folder.
        var stopped = Assert.Throws<EvaluationPreempted>(() =>
            new EvaluationJob(options with { CheckpointRequested = () => true }) { Events = events.Add }.Run(spec, "lora-a", TinyModels.TempDirectory()));

        Assert.Equal(1, stopped.SuitesScored);
        var preemption = Assert.Single(events.OfType<PreemptionCheckpointSaved>());
        Assert.Equal((0L, events.OfType<CheckpointSaved>().Single().Sha256), (preemption.Step, preemption.Sha256));
        Assert.DoesNotContain(events, e => e is CheckpointEvaluated or RunFinished);
        var cached = Assert.Single(Directory.GetFiles(results, "*.json", SearchOption.AllDirectories));
        var written = File.GetLastWriteTimeUtc(cached);

        // The run resumes on a lease with the same cache: the scored suite is read, the other two are scored, the scores are those of an uninterrupted job.
        var resumed = new EvaluationJob(options).Run(spec, "lora-a", TinyModels.TempDirectory());
        Assert.Equal(3, Directory.GetFiles(results, "*.json", SearchOption.AllDirectories).Length);
        Assert.Equal(written, File.GetLastWriteTimeUtc(cached));
        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Equal(uninterrupted.Suites.Select(s => (s.Suite, s.Score, s.DeltaPoints)), resumed.Suites.Select(s => (s.Suite, s.Score, s.DeltaPoints)));
    }

    [Fact]
    public void AnEvaluationOnlySpecRunTwiceScoresNothingTheSecondTime()
    {
        var (baseFolder, options) = TinyBase();
        var spec = EvalSpec(baseFolder, ("lora-a", LoraAdapter(baseFolder, seed: 9, scale: 0.5f)), ("lora-b", LoraAdapter(baseFolder, seed: 10, scale: 1f)));
        var suites = spec.Suites.Count;
        var second = new List<JobEvent>();

        var first = new LabEvaluator(options).Evaluate(spec, TinyModels.TempDirectory());
        var again = new LabEvaluator(options with { Progress = new InlineProgress<JobEvent>(second.Add) }).Evaluate(spec, TinyModels.TempDirectory());

        // The base's baseline and both entries' suites: every one scored the first time, every one read the second.
        Assert.Equal((3 * suites, 0), (first.SuitesScored, first.SuitesFromCache));
        Assert.Equal((0, 3 * suites), (again.SuitesScored, again.SuitesFromCache));
        Assert.Equal(first.Report.Runs.Select(r => r.Suites.Select(s => (s.Suite, s.Score, s.DeltaPoints, s.Ci95[0], s.Ci95[1], s.PValue)).ToList()),
            again.Report.Runs.Select(r => r.Suites.Select(s => (s.Suite, s.Score, s.DeltaPoints, s.Ci95[0], s.Ci95[1], s.PValue)).ToList()));
        Assert.Equal(["lora-a", "lora-b"], second.OfType<CheckpointEvaluated>().Select(e => e.Run));
    }

    [Fact]
    public void EntriesThatDoNotFitTheBaseAreAllRefusedNamingTheirFilesAndNothingRuns()
    {
        var (baseFolder, options) = TinyBase();
        var neither = TinyModels.TempDirectory();
        var otherArchitecture = LoraAdapter(baseFolder, seed: 1, scale: 1);
        RewriteConfig(otherArchitecture, c => c["fan_in_fan_out"] = false);
        using (var a = zeros(2, 64))
            SafetensorsFile.Write(Path.Combine(otherArchitecture, PeftAdapterFiles.WeightsFile),
                [new("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", a)]);
        var otherRank = LoraAdapter(baseFolder, seed: 1, scale: 1);
        RewriteConfig(otherRank, c => c["r"] = 8);
        var noWeights = LoraAdapter(baseFolder, seed: 1, scale: 1);
        File.Delete(Path.Combine(noWeights, PeftAdapterFiles.WeightsFile));
        var otherShape = TinyModels.TempDirectory();
        var baseConfig = (GptConfig)ModelFolder.ReadConfig(baseFolder);
        using (var wider = new GptModel(baseConfig with { NEmbd = baseConfig.NEmbd * 2 })) ModelFolder.Save(wider, otherShape);
        var good = LoraAdapter(baseFolder, seed: 1, scale: 1);
        var spec = EvalSpec(baseFolder, ("neither", neither), ("llama-adapter", otherArchitecture), ("rank", otherRank), ("no-weights", noWeights),
            ("wider", otherShape), ("good", good));
        var events = new List<JobEvent>();
        var outDir = Path.Combine(TinyModels.TempDirectory(), "out");

        var e = Assert.Throws<EvaluateRefusedException>(() =>
            new LabEvaluator(options with { Progress = new InlineProgress<JobEvent>(events.Add) }).Evaluate(spec, outDir));

        Assert.Contains(e.Problems, p => p.StartsWith($"evaluate[0] (neither): {neither}: neither config.json", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith($"evaluate[1] (llama-adapter): {otherArchitecture}/adapter_config.json: fan_in_fan_out: false is a Linear layout, but the base is gpt2", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith($"evaluate[1] (llama-adapter): {otherArchitecture}/adapter_model.safetensors[base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight]: names layer 'model.layers.0.self_attn.q_proj', which a gpt2 base does not have", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith($"evaluate[2] (rank): {otherRank}/adapter_model.safetensors[base_model.model.transformer.h.0.attn.c_attn.lora_A.weight]: has shape [2, 32], but on this base's attn.c_attn (32 in, 96 out) it must be [8, 32]", StringComparison.Ordinal));
        Assert.Contains($"evaluate[3] (no-weights): {noWeights}/adapter_model.safetensors: missing (an adapter folder holds adapter_config.json and adapter_model.safetensors)", e.Problems);
        Assert.Contains(e.Problems, p => p.StartsWith($"evaluate[4] (wider): {otherShape}/config.json: n_embd is 64 but the base's is 32: not a fine-tune of this base", StringComparison.Ordinal));
        Assert.DoesNotContain(e.Problems, p => p.Contains("(good)", StringComparison.Ordinal));
        Assert.False(Directory.Exists(outDir));
        Assert.DoesNotContain(events, ev => ev is PreparationProgress { Phase: PreparationPhase.LoadBase or PreparationPhase.Baseline });
    }

    /// <summary>The platform tests' tiny base (pre-trained in seconds on a small world), copied to a folder of its own to be named by base.path.</summary>
    private static (string Folder, LabRunnerOptions Options) TinyBase()
    {
        var spec = SpecLoader.Parse(TinySpecs.Grid("tiny-eval-base", steps: 2, every: 2), "tiny.yaml", null);
        var options = new LabRunnerOptions { CacheDirectory = TinyModels.TempDirectory(), WorldDataDirectory = RecipeJobTests.SmallWorld(), Threads = 1 };
        var world = BuiltInWorld.Load(new WorldCorpusOptions(Seed: spec.Seed), options.WorldDataDirectory);
        var (folder, _, _) = new BaseModelCache(options.CacheDirectory).GetOrPretrain(spec, world, options.WorldVariant);
        return (CopyFolder(folder), options);
    }

    private static string CopyFolder(string folder)
    {
        var copy = TinyModels.TempDirectory();
        foreach (var file in Directory.GetFiles(folder)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    /// <summary>A LoRA adapter (r 2 on c_attn) in PEFT's layout, its B drawn from N(0, scale²): 0 leaves the base as it is.</summary>
    private static string LoraAdapter(string baseFolder, int seed, float scale)
    {
        using var model = ModelFolder.Load(baseFolder);
        var lora = new LoraSettings(2, 4, 0, ["c_attn"]);
        lora.Apply(model);
        random.manual_seed(seed);
        using (no_grad())
            foreach (var (name, p) in model.named_parameters())
                if (name.Contains("lora_B", StringComparison.Ordinal)) p.copy_(randn(p.shape).mul(scale));
        var dir = TinyModels.TempDirectory();
        lora.Save(model, dir, baseModelName: "tiny-eval-base");
        return dir;
    }

    private static void RewriteConfig(string adapter, Action<JsonObject> change)
    {
        var path = Path.Combine(adapter, PeftAdapterFiles.ConfigFile);
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        change(config);
        File.WriteAllText(path, config.ToJsonString());
    }

    private static LabSpec EvalSpec(string baseFolder, params (string Name, string Path)[] entries) =>
        SpecLoader.Parse($$"""
            name: tiny-eval
            seed: 3
            base: { path: {{baseFolder}} }
            target: { task: conflicting_facts, count: 6 }
            suites: [{{Suites}}]
            evaluate:
            {{string.Join("\n", entries.Select(e => $"  - {{ name: {e.Name}, path: {e.Path} }}"))}}
            eval: { max_items: 8, batch_size: 8, bootstrap_resamples: 200 }
            """, "tiny-eval.yaml", null);
}
