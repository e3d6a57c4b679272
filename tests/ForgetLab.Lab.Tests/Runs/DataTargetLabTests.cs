using ForgetLab.Core.Data;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Data;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.Suites;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Tests.Runs;

/// <summary>
/// The lab on a user's own JSONL: a world base fine-tuned on prompt/completion pairs, a held-out part as the target
/// suite, replay from the user's text corpus, and the report recording every file's hash, examples and tokens.
/// </summary>
public class DataTargetLabTests
{
    private static string Spec(string extraTrain = "") => $$"""
        name: own-data
        seed: 2
        base:
          world: builtin
          model: { n_layer: 1, n_head: 2, n_embd: 32, n_ctx: 32 }
          pretrain: { steps: 20, batch_size: 8, lr: 3.0e-3, warmup_steps: 2 }
        target:
          data: sums.jsonl
          eval_split: 6
        suites: [target, capitals_recall]
        train: { steps: 10, batch_size: 8, lr: 1.0e-3, warmup_steps: 2, checkpoint_every: 10{{extraTrain}} }
        eval: { max_items: 0 }
        """;

    private static (string Dir, LabRunnerOptions Options) Setup(string data)
    {
        var dir = TinyModels.TempDirectory();
        File.WriteAllText(Path.Combine(dir, "sums.jsonl"), data);
        File.WriteAllText(Path.Combine(dir, "corpus.jsonl"), "{\"text\": \"the capital of zyxw is qvwx .\"}\n{\"text\": \"1 + 2 = 3 .\"}\n");
        return (dir, new LabRunnerOptions
        {
            CacheDirectory = TinyModels.TempDirectory(),
            WorldDataDirectory = SmallWorlds.Write(countries: 12, elements: 4),
            Corpus = new WorldCorpusOptions(ArithmeticLines: 40, CopyLines: 10),
        });
    }

    private static readonly string Sums = string.Join('\n', Enumerable.Range(0, 24).Select(i => $"{{\"prompt\": \"q : {i / 5} + {i % 5} = ? a :\", \"completion\": \" {i / 5 + i % 5} .\"}}"));

    [Fact]
    public void ALabRunOnAUsersJsonlScoresTheHeldOutPartAndRecordsTheDataBounds()
    {
        var (dir, options) = Setup(Sums);
        var spec = SpecLoader.Parse(Spec(", replay: { ratio: 0.25, corpus: corpus.jsonl }"), Path.Combine(dir, "spec.yaml"), dir);
        var outDir = TinyModels.TempDirectory();
        var result = new LabRunner(options).Run(spec, outDir);

        var run = Assert.Single(result.Report.Runs);
        Assert.Equal(RunStatus.Completed, run.Status);
        var target = run.Suites.Single(s => s.Suite == "target");
        Assert.Equal(6, target.N);                                         // scored on the held-out examples only
        Assert.Equal("acc", target.Metric);
        Assert.Contains(result.Report.Base.Suites, s => s.Suite == "capitals_recall");

        var report = ReportJson.Deserialize(File.ReadAllText(Path.Combine(outDir, "report.json")));
        var bounds = report.Data.ToDictionary(d => d.Role);
        Assert.Equal(["target", "target_eval", "replay_corpus"], report.Data.Select(d => d.Role));
        Assert.Equal(("sums.jsonl", 18, "prompt_completion"), (bounds["target"].File, bounds["target"].Examples, bounds["target"].Shape));
        Assert.Equal(6, bounds["target_eval"].Examples);
        Assert.Equal(bounds["target"].Sha256, bounds["target_eval"].Sha256);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, "sums.jsonl")))), bounds["target"].Sha256);
        Assert.True(bounds["target"].Tokens > bounds["target"].LossTokens && bounds["target"].LossTokens >= 3 * 18, "each pair trains on its answer, full stop and EOS");
        Assert.Equal((2, 2L), (bounds["replay_corpus"].Examples, bounds["replay_corpus"].UnknownTokens));   // zyxw and qvwx are no words of the world
        Assert.Contains("## Data", File.ReadAllText(Path.Combine(outDir, "report.md")));

        // The per-item results name the held-out lines, none of which was trained on.
        var items = ForgetLab.Core.Checkpoints.ItemResultsFile.Read(Path.Combine(outDir, "runs", run.Name, "step-10"));
        var held = items.Where(i => i.Suite == "target").Select(i => int.Parse(i.Id["line-".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(6, held.Distinct().Count());
        Assert.Equal(TargetData.Split(JsonlDataFile.Read(Path.Combine(dir, "sums.jsonl"), "sums.jsonl"), new EvalSplit(null, 6), 2).HeldOut.Select(e => e.Line), held.Order());
    }

    // EWC's Fisher and distillation's KL read the user's text when the spec names it, and the base's world otherwise: the
    // same run with and without the corpus must train differently, and the report must record the file it read.
    [Theory]
    [InlineData("ewc: { lambda: 1.0e+6, fisher_batches: 2", "ewc_corpus")]
    [InlineData("distill: { beta: 1.0, temperature: 1.0", "distill_corpus")]
    public void EwcAndDistillationTrainOnTheUsersCorpusWhenTheSpecNamesItAndRecordIt(string regulariser, string role)
    {
        var (dir, options) = Setup(Sums);
        ForgettingReport RunWith(string extra)
        {
            var spec = SpecLoader.Parse(Spec($", {regulariser}{extra} }}"), Path.Combine(dir, "spec.yaml"), dir);
            return new LabRunner(options).Run(spec, TinyModels.TempDirectory()).Report;
        }

        var own = RunWith(", corpus: corpus.jsonl");
        var world = RunWith("");
        var (ownRun, worldRun) = (Assert.Single(own.Runs), Assert.Single(world.Runs));
        Assert.Equal((RunStatus.Completed, RunStatus.Completed), (ownRun.Status, worldRun.Status));
        var corpus = Assert.Single(own.Data, d => d.Role == role);
        Assert.Equal(("corpus.jsonl", 2), (corpus.File, corpus.Examples));
        Assert.DoesNotContain(world.Data, d => d.Role == role);
        var ownLoss = ownRun.Checkpoints.Last().TrainLoss;
        Assert.NotNull(ownLoss);
        Assert.NotEqual(worldRun.Checkpoints.Last().TrainLoss, ownLoss);
    }

    [Fact]
    public void BadDataStopsTheLabBeforeABaseIsBuilt()
    {
        var (dir, options) = Setup(Sums + "\n{\"prompt\": \"q : 1 + 1 = ? a :\"}\n");
        var spec = SpecLoader.Parse(Spec(), Path.Combine(dir, "spec.yaml"), dir);

        var e = Assert.Throws<DataFileException>(() => new LabRunner(options).Run(spec, TinyModels.TempDirectory()));
        Assert.Equal("sums.jsonl:25: completion: required field is missing", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(options.CacheDirectory));   // nothing was pre-trained
    }

    [Fact]
    public void AnExampleLongerThanTheContextStopsTheLabBeforeTheBasesWeightsArePretrained()
    {
        // The check needs the base's tokenizer, which pre-training trains first: it runs between the two.
        var longPrompt = "q : " + string.Join(' ', Enumerable.Repeat("1 +", 20)) + " 1 = ? a :";
        var (dir, options) = Setup(Sums + $"\n{{\"prompt\": \"{longPrompt}\", \"completion\": \" 21 .\"}}\n");
        var spec = SpecLoader.Parse(Spec(), Path.Combine(dir, "spec.yaml"), dir);
        var events = new List<Core.Jobs.JobEvent>();

        var e = Assert.Throws<DataFileException>(() => new LabRunner(options with { Progress = new InlineProgress<Core.Jobs.JobEvent>(events.Add) })
            .Run(spec, TinyModels.TempDirectory()));

        Assert.StartsWith("sums.jsonl:25: ", e.Message);
        Assert.Contains("the base's context holds 32", e.Message);
        Assert.Empty(Directory.GetDirectories(options.CacheDirectory));   // no base cached, no staging folder left
        Assert.DoesNotContain(events.OfType<Core.Jobs.PreparationProgress>(), p => p.Phase == Core.Jobs.PreparationPhase.Pretrain && p.Step > 0);
    }

    [Fact]
    public void WithTooLongTruncateALongTrainingExampleIsCutAndTheReportCountsIt()
    {
        // Line 1 is longer than the base's 32 positions; every line of sums.jsonl trains (the held-out set is its own file).
        // Its completion is the long part: truncation keeps the start (TRL's keep_start), so loss tokens are left.
        var longCompletion = " " + string.Join(' ', Enumerable.Repeat("1 +", 20)) + " 1 .";
        var (dir, options) = Setup($"{{\"prompt\": \"q : 4 + 4 = ? a :\", \"completion\": \"{longCompletion}\"}}\n" + Sums);
        File.WriteAllLines(Path.Combine(dir, "held.jsonl"), Sums.Split('\n')[..6]);
        var spec = SpecLoader.Parse(Spec().Replace("eval_split: 6", "eval_data: held.jsonl\n  too_long: truncate", StringComparison.Ordinal), Path.Combine(dir, "spec.yaml"), dir);
        var outDir = TinyModels.TempDirectory();

        var result = new LabRunner(options).Run(spec, outDir);

        var target = result.Report.Data.Single(d => d.Role == "target");
        Assert.Equal((25, 1), (target.Examples, target.Truncated));
        Assert.Equal(RunStatus.Completed, Assert.Single(result.Report.Runs).Status);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        Assert.Contains(json.RootElement.GetProperty("data").EnumerateArray(), d => d.GetProperty("role").GetString() == "target" && d.GetProperty("truncated").GetInt32() == 1);
        Assert.Contains("| target | `sums.jsonl` |", File.ReadAllText(Path.Combine(outDir, "report.md")));
    }

    [Fact]
    public void RewardFineTuningOnAUsersPromptCompletionLinesSamplesTheTrainingPromptsAndPaysAgainstTheirCompletions()
    {
        var (dir, options) = Setup(Sums);
        var spec = SpecLoader.Parse(Spec(", rl: { algorithm: grpo, num_generations: 4, max_completion_length: 4, measure_prompts: 4, rewards: [{ kind: correctness }] }")
            .Replace("steps: 10, batch_size: 8", "steps: 2, batch_size: 8", StringComparison.Ordinal).Replace("checkpoint_every: 10", "checkpoint_every: 2", StringComparison.Ordinal),
            Path.Combine(dir, "spec.yaml"), dir);
        var outDir = TinyModels.TempDirectory();
        var result = new LabRunner(options).Run(spec, outDir);

        var run = Assert.Single(result.Report.Runs);
        Assert.Equal(RunStatus.Completed, run.Status);
        var rl = Assert.Single(run.Checkpoints).Rl;
        Assert.NotNull(rl);
        Assert.Contains("correctness", rl.TrainReward!.Components.Keys);
        Assert.Equal(6, run.Suites.Single(s => s.Suite == "target").N);
        using var log = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "runs", run.Name, "rl_log.json")));
        Assert.Equal(2, log.RootElement.GetArrayLength());

        // What it samples and pays against: the training lines as written, none of the held-out six.
        var data = TargetData.Load(spec.Target.Data!, ForgetLab.Lab.Tokenization.WordTokenizer.Build([string.Join(' ', Enumerable.Range(0, 10)) + " q : + = ? a ."]), null, 32, 2);
        var training = TargetData.Split(JsonlDataFile.Read(Path.Combine(dir, "sums.jsonl"), "sums.jsonl"), new EvalSplit(null, 6), 2).Training.Cast<PromptCompletionExample>();
        Assert.Equal(training.Select(e => new PromptCompletion(e.Prompt, e.Completion)), data.Pairs);
    }

    [Fact]
    public void RewardFineTuningOnTextLinesIsRefusedNamingTheFileBeforeABaseIsBuilt()
    {
        var (dir, options) = Setup("{\"text\": \"1 + 2 = 3 .\"}\n");
        var spec = SpecLoader.Parse(Spec(", rl: { algorithm: grpo, num_generations: 4, rewards: [{ kind: correctness }] }").Replace("\n  eval_split: 6", "", StringComparison.Ordinal)
            .Replace("suites: [target, capitals_recall]", "suites: [capitals_recall]", StringComparison.Ordinal), Path.Combine(dir, "spec.yaml"), dir);

        var e = Assert.Throws<DataFileException>(() => new LabRunner(options).Run(spec, TinyModels.TempDirectory()));
        Assert.Equal("sums.jsonl:1: train.rl samples a completion for each prompt and rewards it against the line's own, so target.data must hold {\"prompt\", \"completion\"} lines; this file holds text lines", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(options.CacheDirectory));
    }

    [Fact]
    public void TheOwnDataExampleIsInTheWorldsWordsAndTrainsOnTheAssistantAnswersOnly()
    {
        var folder = Path.Combine(Tests.Model.ReferenceModels.RepoRoot(), "examples", "own-data");
        var spec = SpecLoader.LoadFile(Path.Combine(folder, "spec.yaml"));
        var tokenizer = BuiltInWorld.Load().BuildTokenizer();

        var data = TargetData.Load(spec.Target.Data!, tokenizer, null, spec.Base.Model.NCtx, spec.Seed);
        var corpus = TextCorpus.Load(spec.Variants.Single(v => v.Name == "replay").Train.Replay!.Corpus!, tokenizer, "replay_corpus");

        Assert.Equal((48, 12), (data.Training.Count, data.HeldOut!.Items.Count));
        Assert.All(data.Bounds.Append(corpus.Bounds), b => Assert.Equal(0, b.UnknownTokens));
        var first = data.Training[0];
        var answer = string.Join(' ', first.Ids.Where((_, i) => first.Loss[i]).Select(id => tokenizer.IdToToken(id)));
        Assert.Matches("^[a-z' -]+ is in [a-z ]+ \\. <eos>$", answer);
    }
}
