using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Specs;

/// <summary>
/// <c>target.data</c> and its settings, and the corpora of replay, distillation and EWC: files resolve next to the
/// spec and must exist, settings are checked where they are written, and nothing that cannot run is accepted.
/// </summary>
public sealed class DataTargetSpecTests : IDisposable
{
    private const string TargetBlock = "target:\n  task: conflicting_facts\n  count: 5\n";

    private readonly string dir = Directory.CreateTempSubdirectory("forgetlab-data-spec-").FullName;

    public DataTargetSpecTests()
    {
        File.WriteAllText(Path.Combine(dir, "tickets.jsonl"), "{\"prompt\": \"a\", \"completion\": \"b\"}\n");
        File.WriteAllText(Path.Combine(dir, "held.jsonl"), "{\"prompt\": \"a\", \"completion\": \"b\"}\n");
        File.WriteAllText(Path.Combine(dir, "corpus.jsonl"), "{\"text\": \"a b\"}\n");
        File.WriteAllText(Path.Combine(dir, "chat.jinja"), "{{ messages[0].content }}");
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string Target(string body) => SpecText.With(TargetBlock, "target:\n" + body);

    [Fact]
    public void ADataTargetNamesItsFileAndTakesTrlsDefaults()
    {
        var data = SpecText.Parse(Target("  data: tickets.jsonl\n  eval_split: 0.1\n"), dir).Target.Data!;

        Assert.Equal(("tickets.jsonl", Path.Combine(dir, "tickets.jsonl")), (data.Path, data.FullPath));
        Assert.Equal(new EvalSplit(0.1, null), data.EvalSplit);
        Assert.True(data.CompletionOnlyLoss);
        Assert.True(data.AssistantOnlyLoss);
        Assert.Equal(TooLongPolicy.Refuse, data.TooLong);
    }

    [Fact]
    public void EveryDataSettingIsRead()
    {
        var data = SpecText.Parse(Target(
            "  data: tickets.jsonl\n  eval_data: held.jsonl\n  chat_template: chat.jinja\n  completion_only_loss: false\n  assistant_only_loss: false\n  too_long: truncate\n"), dir).Target.Data!;

        Assert.Equal(Path.Combine(dir, "held.jsonl"), data.EvalFullPath);
        Assert.Equal(Path.Combine(dir, "chat.jinja"), data.ChatTemplateFullPath);
        Assert.False(data.CompletionOnlyLoss);
        Assert.False(data.AssistantOnlyLoss);
        Assert.Equal(TooLongPolicy.Truncate, data.TooLong);
    }

    [Fact]
    public void RewardFineTuningOnADataFileIsAcceptedWithItsRlSettings()
    {
        // The file's shape (prompt/completion lines, which reward fine-tuning needs) is checked where it is read: DataTargetLabTests.
        var yaml = SpecText.With("  checkpoint_every: 10\n", "  checkpoint_every: 10\n  batch_size: 8\n  rl: { algorithm: grpo, num_generations: 4, rewards: [{ kind: correctness }] }\n");
        var spec = SpecText.Parse(yaml.Replace(TargetBlock, "target:\n  data: tickets.jsonl\n  eval_split: 0.1\n", StringComparison.Ordinal), dir);

        Assert.Equal((Path.Combine(dir, "tickets.jsonl"), 4), (spec.Target.Data!.FullPath, spec.Train.Rl!.NumGenerations));
    }

    [Fact]
    public void AWholeNumberIsACountOfHeldOutExamples() =>
        Assert.Equal(new EvalSplit(null, 20), SpecText.Parse(Target("  data: tickets.jsonl\n  eval_split: 20\n"), dir).Target.Data!.EvalSplit);

    [Theory]
    [InlineData("0")]
    [InlineData("1.0")]
    [InlineData("-3")]
    [InlineData("half")]
    public void AnEvalSplitIsAFractionOrACount(string value) =>
        Assert.Contains("target.eval_split: must be a fraction between 0 and 1 (exclusive) or a whole count of at least 1",
            Assert.Single(SpecText.Errors(Target($"  data: tickets.jsonl\n  eval_split: {value}\n"), dir)));

    [Fact]
    public void AMissingDataFileIsNamed() =>
        Assert.Equal(["spec.yaml:16 target.data: data file 'nope.jsonl' not found"], SpecText.Errors(Target("  data: nope.jsonl\n"), dir));

    [Fact]
    public void DataCannotBeCombinedWithABuiltInTask() =>
        Assert.Equal(["spec.yaml:16 target.task: cannot be combined with 'data' (the data file is the target)"],
            SpecText.Errors(Target("  task: format\n  data: tickets.jsonl\n"), dir));

    [Fact]
    public void DataSettingsNeedADataTarget() =>
        Assert.Equal(["spec.yaml:18 target.eval_split: applies to a data target (target.data)"],
            SpecText.Errors(Target("  task: format\n  count: 5\n  eval_split: 0.1\n"), dir));

    [Fact]
    public void EvalSplitAndEvalDataAreExclusive() =>
        Assert.Equal(["spec.yaml:18 target.eval_data: give either eval_split or eval_data, not both"],
            SpecText.Errors(Target("  data: tickets.jsonl\n  eval_split: 2\n  eval_data: held.jsonl\n"), dir));

    [Fact]
    public void TheTargetSuiteNeedsHeldOutExamples() =>
        Assert.Contains(SpecText.Errors(Target("  data: tickets.jsonl\n"), dir),
            e => e.Contains("suites[0]: 'target' with target.data needs held-out examples", StringComparison.Ordinal));

    [Fact]
    public void ADataTargetHasNoOverwrittenSuite() =>
        Assert.Contains(SpecText.Errors(SpecText.With("[target, capitals_recall]", "[target, overwritten]").Replace(TargetBlock, "target:\n  data: tickets.jsonl\n  eval_split: 1\n"), dir),
            e => e.Contains("suites[1]: 'overwritten' exists for target.task conflicting_facts", StringComparison.Ordinal));

    [Fact]
    public void AnUnknownTooLongPolicyIsNamed() =>
        Assert.Contains("target.too_long", Assert.Single(SpecText.Errors(Target("  data: tickets.jsonl\n  eval_split: 1\n  too_long: cut\n"), dir)));

    [Fact]
    public void ReplayDistillAndEwcTakeTheirCorpusFromAFile()
    {
        var spec = SpecText.Parse(SpecText.With("  checkpoint_every: 10\n",
            "  checkpoint_every: 10\n  replay: { ratio: 0.25, corpus: corpus.jsonl }\n  distill: { beta: 1, corpus: corpus.jsonl }\n  ewc: { lambda: 10, corpus: corpus.jsonl }\n"), dir);
        var corpus = new CorpusRef("corpus.jsonl", Path.Combine(dir, "corpus.jsonl"));
        Assert.Equal(corpus, spec.Train.Replay!.Corpus);
        Assert.Equal(corpus, spec.Train.Distill!.Corpus);
        Assert.Equal(corpus, spec.Train.Ewc!.Corpus);
        // A grid axis over the replay ratio keeps the corpus of every run.
        var grid = SpecText.Parse(SpecText.With("  checkpoint_every: 10\n", "  checkpoint_every: 10\n  replay: { ratio: 0.25, corpus: corpus.jsonl }\n")
            .Replace("  seed: [1]\n", "  seed: [1]\n  replay: [0.1, 0.5]\n"), dir);
        Assert.All(GridExpansion.Expand(grid), r => Assert.Equal(corpus, r.Train.Replay!.Corpus));
    }

    [Fact]
    public void AMissingCorpusIsNamed() =>
        Assert.Equal(["spec.yaml:25 train.replay.corpus: corpus file 'nope.jsonl' not found"],
            SpecText.Errors(SpecText.With("  checkpoint_every: 10\n", "  checkpoint_every: 10\n  replay: { ratio: 0.25, corpus: nope.jsonl }\n"), dir));

    [Fact]
    public void OnThePlatformWithoutASpecDirectoryADataPathIsRefused()
    {
        var e = Assert.Throws<SpecValidationException>(() => SpecLoader.ParseUnder(Target("  data: tickets.jsonl\n"), SpecText.Source, SpecFiles.None));
        Assert.Contains(e.Errors, x => x.ToString().Contains("target.data: a data file path is not accepted on the platform", StringComparison.Ordinal));
    }

    [Fact]
    public void TheOwnDataExampleSharesTheQuickstartBaseAndNamesItsFiles()
    {
        var spec = SpecLoader.LoadFile(RepoPaths.Example(Path.Combine("own-data", "spec.yaml")));
        var quickstart = SpecLoader.LoadFile(RepoPaths.Example("quickstart.yaml"));

        Assert.Equal(SpecHash.ForBase(quickstart), SpecHash.ForBase(spec));
        Assert.Equal(("continents-chat.jsonl", new EvalSplit(null, 12), "chat.jinja"), (spec.Target.Data!.Path, spec.Target.Data.EvalSplit, spec.Target.Data.ChatTemplatePath));
        Assert.Equal("general.jsonl", GridExpansion.Expand(spec).Single(r => r.Name.StartsWith("replay", StringComparison.Ordinal)).Train.Replay!.Corpus!.Path);
    }

    [Fact]
    public void APretrainingCorpusEntersTheBasesHashByItsContentNotItsPath()
    {
        var yaml = SpecText.With("    warmup_steps: 2\ntarget:", "    warmup_steps: 2\n    corpus: corpus.jsonl\ntarget:");
        var first = SpecText.Parse(yaml, dir);
        Assert.Equal("corpus.jsonl", first.Base.Pretrain.Corpus!.Path);
        Assert.Equal(64, first.Base.Pretrain.Corpus.Sha256!.Length);
        Assert.NotEqual(SpecHash.ForBase(SpecText.Parse(SpecText.Valid, dir)), SpecHash.ForBase(first));

        File.WriteAllText(Path.Combine(dir, "corpus.jsonl"), "{\"text\": \"other words\"}\n");
        Assert.NotEqual(SpecHash.ForBase(first), SpecHash.ForBase(SpecText.Parse(yaml, dir)));
    }

    [Fact]
    public void AnExistingTokenizerJsonIsNamedByPathAndItsBytesEnterTheHash()
    {
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), "{}");
        var yaml = SpecText.With("  world: builtin\n", "  world: builtin\n  tokenizer: { kind: file, path: tokenizer.json }\n");
        var first = SpecText.Parse(yaml, dir);
        Assert.Equal(Path.Combine(dir, "tokenizer.json"), first.Base.Tokenizer.File!.FullPath);

        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), "{\"eos_token\": \"</s>\"}");
        Assert.NotEqual(SpecHash.ForBase(first), SpecHash.ForBase(SpecText.Parse(yaml, dir)));   // the config beside it counts too
    }

    [Fact]
    public void ATokenizerPathBelongsToKindFile()
    {
        Assert.Equal(["spec.yaml:5 base.tokenizer.path: applies to kind: file (an existing tokenizer.json)"],
            SpecText.Errors(SpecText.With("  world: builtin\n", "  world: builtin\n  tokenizer: { kind: bpe, path: tokenizer.json }\n"), dir));
        Assert.Equal(["spec.yaml:5 base.tokenizer.path: required field is missing"],
            SpecText.Errors(SpecText.With("  world: builtin\n", "  world: builtin\n  tokenizer: { kind: file }\n"), dir));
    }
}
