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
