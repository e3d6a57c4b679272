using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Specs;

/// <summary>
/// <c>{ data_ref: NAME, file: F }</c> in place of a data file's path: refused by the stand-alone lab, accepted unread on
/// the platform's server (which checks the name against the tenant's registry), and resolved to the folder a worker
/// brought the data set to.
/// </summary>
public sealed class DataRefSpecTests : IDisposable
{
    private const string TargetBlock = "target:\n  task: conflicting_facts\n  count: 5\n";

    private readonly string dir = Directory.CreateTempSubdirectory("forgetlab-data-ref-").FullName;

    public DataRefSpecTests()
    {
        Directory.CreateDirectory(Path.Combine(dir, "support"));
        File.WriteAllText(Path.Combine(dir, "support", "train.jsonl"), "{\"prompt\": \"a\", \"completion\": \"b\"}\n");
        File.WriteAllText(Path.Combine(dir, "support", "general.jsonl"), "{\"text\": \"a b\"}\n");
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string Spec(string data) => SpecText.With(TargetBlock, $"target:\n  data: {data}\n  eval_split: 1\n");

    private static LabSpec Parse(string yaml, SpecFiles files) => SpecLoader.ParseUnder(yaml, "spec.yaml", files);

    private static IReadOnlyList<string> Errors(string yaml, SpecFiles files) =>
        Assert.Throws<SpecValidationException>(() => Parse(yaml, files)).Errors.Select(e => e.ToString()).ToList();

    [Fact]
    public void TheServerAcceptsADataRefUnreadAndListsItWithItsField()
    {
        var spec = Parse(Spec("{ data_ref: support, file: train.jsonl }"), SpecFiles.None);

        var named = Assert.Single(spec.DataRefs);
        Assert.Equal(("target.data", "support", "train.jsonl"), (named.Field, named.Name, named.File));
        Assert.Equal(("data_ref:support/train.jsonl", ""), (spec.Target.Data!.Path, spec.Target.Data.FullPath));
    }

    [Fact]
    public void AJobReadsTheFileFromTheFolderItsWorkerBroughtTheDataSetTo()
    {
        var files = SpecFiles.None with { DatasetFolders = new Dictionary<string, string> { ["support"] = Path.Combine(dir, "support") } };

        var spec = Parse(Spec("{ data_ref: support, file: train.jsonl }"), files);
        var missing = Errors(Spec("{ data_ref: support, file: other.jsonl }"), files);
        var which = Errors(Spec("{ data_ref: support }"), files);
        var notBrought = Errors(Spec("{ data_ref: elsewhere }"), files);

        Assert.Equal(Path.Combine(dir, "support", "train.jsonl"), spec.Target.Data!.FullPath);
        Assert.Contains(missing, e => e.Contains("target.data.data_ref: data set 'support' has no file 'other.jsonl' (it holds general.jsonl, train.jsonl)", StringComparison.Ordinal));
        Assert.Contains(which, e => e.Contains("data set 'support' holds 2 files (general.jsonl, train.jsonl): name one with 'file'", StringComparison.Ordinal));
        Assert.Contains(notBrought, e => e.Contains("data set 'elsewhere' was not brought to this machine", StringComparison.Ordinal));
    }

    [Fact]
    public void TheStandAloneLabRefusesADataRefAndAsksForThePath()
    {
        var errors = Errors(Spec("{ data_ref: support, file: train.jsonl }"), SpecFiles.Local(dir));

        Assert.Contains(errors, e => e.Contains("target.data.data_ref: names a data set of the platform's registry (forgetlab datasets upload); the stand-alone lab reads files: give the file's path", StringComparison.Ordinal));
    }

    private static string SuitesSpec(string entry) => SpecText.With("suites: [target, capitals_recall]", $"suites: [target, {entry}]");

    [Fact]
    public void ASuiteFromADataSetIsNamedUnreadOnTheServerAndReadFromTheWorkersFolderByTheJob()
    {
        Directory.CreateDirectory(Path.Combine(dir, "bench"));
        File.WriteAllText(Path.Combine(dir, "bench", "recall.yaml"), "task: recall\ncategory: knowledge\noutput_type: generate_until\ndataset_path: recall.jsonl\n");
        File.WriteAllText(Path.Combine(dir, "bench", "recall.jsonl"), "{\"id\": \"a\", \"prompt\": \"p\", \"target\": \"t\"}\n");
        var job = SpecFiles.None with { DatasetFolders = new Dictionary<string, string> { ["bench"] = Path.Combine(dir, "bench") } };

        var onServer = Parse(SuitesSpec("{ data_ref: bench, file: recall.yaml }"), SpecFiles.None);
        var inJob = Parse(SuitesSpec("{ data_ref: bench }"), job);
        var items = Errors(SuitesSpec("{ data_ref: bench, file: recall.jsonl }"), SpecFiles.None);
        var inLab = Errors(SuitesSpec("{ data_ref: bench, file: recall.yaml }"), SpecFiles.Local(dir));

        var named = onServer.Suites[1];
        Assert.Equal(("data_ref:bench/recall.yaml", null, false), (named.Name, named.FilePath, named.IsBuiltIn));
        Assert.Equal(("suites[1]", "bench", "recall.yaml"), (onServer.DataRefs.Single().Field, onServer.DataRefs.Single().Name, onServer.DataRefs.Single().File));
        Assert.Equal((Path.Combine(dir, "bench", "recall.yaml"), Path.Combine(dir, "bench")), (inJob.Suites[1].FilePath, inJob.Suites[1].ConfinedTo));
        Assert.Contains(items, e => e.Contains("suites[1].file: must be the plain name of one of the data set's suite headers: a .yaml file", StringComparison.Ordinal));
        Assert.Contains(inLab, e => e.Contains("suites[1].data_ref: names a data set of the platform's registry", StringComparison.Ordinal));
    }

    [Fact]
    public void ADataFieldNamingASuiteHeaderOfADataSetIsRefusedAndToldWhereItGoes()
    {
        File.WriteAllText(Path.Combine(dir, "support", "recall.yaml"), "task: recall\n");
        var job = SpecFiles.None with { DatasetFolders = new Dictionary<string, string> { ["support"] = Path.Combine(dir, "support") } };

        var asFile = Errors(Spec("{ data_ref: support, file: recall.yaml }"), job);

        Assert.Contains(asFile, e => e.Contains("target.data.file: must be the plain name of one of the data set's .jsonl files", StringComparison.Ordinal));
        Assert.Equal("'recall.yaml' of data set 'support' is not a data file (.jsonl): name it under suites",
            SpecFiles.DatasetFile("support", "recall.yaml", ["general.jsonl", "recall.yaml"]));
    }

    /// <summary>A world base pre-trained with an existing tokenizer, fine-tuned on messages rendered with a named template.</summary>
    private static string TokenizerSpec(string tokenizerPath, string template) =>
        Spec($"{{ data_ref: support, file: train.jsonl }}\n  chat_template: {template}")
            .Replace("  world: builtin\n", $"  world: builtin\n  tokenizer: {{ kind: file, path: {tokenizerPath} }}\n", StringComparison.Ordinal);

    [Fact]
    public void ATokenizerAndAChatTemplateFromADataSetAreNamedUnreadOnTheServerAndResolveInTheJobAsALocalPathDoesInTheLab()
    {
        // The same files twice: a data set the worker brought, and a folder the lab reads by path.
        foreach (var folder in new[] { Path.Combine(dir, "support"), Path.Combine(dir, "local") })
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "tokenizer.json"), "{\"model\": {\"type\": \"WordLevel\"}}");
            File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), "{\"eos_token\": \"</s>\"}");
            File.WriteAllText(Path.Combine(folder, "chat.jinja"), "{% for m in messages %}{{ m.content }}{% endfor %}");
        }
        File.Copy(Path.Combine(dir, "support", "train.jsonl"), Path.Combine(dir, "local", "train.jsonl"));
        var job = SpecFiles.None with { DatasetFolders = new Dictionary<string, string> { ["support"] = Path.Combine(dir, "support") } };

        var onServer = Parse(TokenizerSpec("{ data_ref: support, file: tokenizer.json }", "{ data_ref: support, file: chat.jinja }"), SpecFiles.None);
        var inJob = Parse(TokenizerSpec("{ data_ref: support }", "{ data_ref: support }"), job);
        var inLab = Parse(TokenizerSpec("local/tokenizer.json", "local/chat.jinja")
            .Replace("{ data_ref: support, file: train.jsonl }", "local/train.jsonl", StringComparison.Ordinal), SpecFiles.Local(dir));
        var wrongKind = Errors(TokenizerSpec("{ data_ref: support, file: tokenizer_config.json }", "{ data_ref: support, file: train.jsonl }"), job);

        Assert.Equal(["base.tokenizer.path", "target.chat_template", "target.data"], onServer.DataRefs.Select(d => d.Field).Order(StringComparer.Ordinal));
        Assert.Equal(("data_ref:support/tokenizer.json", "", null), (onServer.Base.Tokenizer.File!.Path, onServer.Base.Tokenizer.File.FullPath, onServer.Base.Tokenizer.File.Sha256));
        Assert.Equal(("data_ref:support/chat.jinja", ""), (onServer.Target.Data!.ChatTemplatePath, onServer.Target.Data.ChatTemplateFullPath));
        Assert.Equal(Path.Combine(dir, "support", "tokenizer.json"), inJob.Base.Tokenizer.File!.FullPath);
        Assert.Equal(Path.Combine(dir, "support", "chat.jinja"), inJob.Target.Data!.ChatTemplateFullPath);
        // tokenizer.json and the tokenizer_config.json beside it enter the base's hash as they do for a path.
        Assert.NotNull(inJob.Base.Tokenizer.File.Sha256);
        Assert.Equal(inLab.Base.Tokenizer.File!.Sha256, inJob.Base.Tokenizer.File.Sha256);
        Assert.Contains(wrongKind, e => e.Contains("base.tokenizer.path.file: must be the plain name of one of the data set's tokenizer files: a .json file other than tokenizer_config.json", StringComparison.Ordinal));
        Assert.Contains(wrongKind, e => e.Contains("target.chat_template.file: must be the plain name of one of the data set's chat templates: a .jinja file", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{ data_ref: support, file: ../etc/passwd.jsonl }", "target.data.file")]
    [InlineData("{ data_ref: support, file: sub/train.jsonl }", "target.data.file")]
    [InlineData("{ data_ref: Support }", "target.data.data_ref")]
    [InlineData("{ file: train.jsonl }", "target.data.data_ref")]
    [InlineData("{ data_ref: support, path: x }", "target.data.path")]
    public void ABadDataRefIsRefusedAtItsField(string data, string field)
    {
        var errors = Errors(Spec(data), SpecFiles.None);

        Assert.Contains(errors, e => e.Contains($" {field}: ", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryCorpusMayNameADataSetAndAPretrainCorpusIsHashedByItsNameOnTheServer()
    {
        var yaml = Spec("{ data_ref: support, file: train.jsonl }")
            .Replace("  pretrain:\n", "  pretrain:\n    corpus: { data_ref: support, file: general.jsonl }\n", StringComparison.Ordinal)
            .Replace("  checkpoint_every:", "  replay: { ratio: 0.5, corpus: { data_ref: support, file: general.jsonl } }\n  checkpoint_every:", StringComparison.Ordinal);

        var spec = Parse(yaml, SpecFiles.None);

        Assert.Equal(new[] { "base.pretrain.corpus", "target.data", "train.replay.corpus" }, spec.DataRefs.Select(d => d.Field).Order(StringComparer.Ordinal));
        Assert.Contains("\"corpus_data_ref\":\"data_ref:support/general.jsonl\"", SpecHash.CanonicalBaseJson(spec.Base, spec.Seed), StringComparison.Ordinal);
    }
}
