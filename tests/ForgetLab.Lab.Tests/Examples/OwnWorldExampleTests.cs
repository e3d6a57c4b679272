using System.Diagnostics;
using ForgetLab.Core.Data;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Data;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.Suites;
using ForgetLab.Lab.Tokenization;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Tests.Examples;

/// <summary>
/// <c>examples/own-world/</c>: make-world.py turns the tzdata facts into a corpus, a counterfactual fine-tuning set and
/// suites. These tests run the script (Python's standard library only, a second or so) and read what it writes with the
/// lab's own readers, so the example cannot drift from the code that consumes it.
/// </summary>
public class OwnWorldExampleTests
{
    private const string Python = "/usr/bin/python3";

    private static readonly string Folder = Path.Combine(Model.ReferenceModels.RepoRoot(), "examples", "own-world");

    private static string MakeWorld(params string[] options)
    {
        var output = TinyModels.TempDirectory();
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[Path.Combine(Folder, "make-world.py"), "--out", output, .. options]) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "make-world.py did not finish within a minute");
        Assert.True(process.ExitCode == 0, $"make-world.py exited {process.ExitCode}: {stderr.Result}");
        return output;
    }

    private static IEnumerable<string> Files(string root) =>
        Directory.EnumerateFiles(root, "*.jsonl", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "suites"), "*.yaml", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal);

    [Fact]
    public void TheCommittedFilesAreExactlyWhatMakeWorldWritesFromTheFacts()
    {
        var written = MakeWorld();

        Assert.Equal(Files(written), Files(Folder));
        Assert.All(Files(written), f => Assert.True(
            File.ReadAllBytes(Path.Combine(written, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(Folder, f))),
            $"{f} differs from what make-world.py writes: run python3 examples/own-world/make-world.py"));
    }

    [Fact]
    public void ASliceOfTheWorldIsReadByTheLabsOwnReadersWithEveryWordKnownToItsTokenizer()
    {
        var slice = MakeWorld("--limit", "60", "--edits", "8");
        File.Copy(Path.Combine(Folder, "spec.yaml"), Path.Combine(slice, "spec.yaml"));
        var spec = SpecLoader.LoadFile(Path.Combine(slice, "spec.yaml"));

        PreparedData.Check(spec);   // every data file: JSONL, one shape, fields present
        var corpus = JsonlDataFile.Read(spec.Base.Pretrain.Corpus!.FullPath, "corpus.jsonl", only: DataShape.Text);
        var tokenizer = WordTokenizer.Build(corpus.Examples.Cast<TextExample>().Select(e => e.Text));
        var data = PreparedData.Load(spec, tokenizer, spec.Base.Model.NCtx);
        var world = BuiltInWorld.Load(new WorldCorpusOptions(ArithmeticLines: 1, CopyLines: 1), SmallWorlds.Write(countries: 2, elements: 1));
        var suites = SuiteSelection.Resolve(spec, world, target: null, data.Target!.HeldOut).ToDictionary(s => s.Name);

        Assert.Equal((8, 8), (data.Target.Training.Count, data.Target.HeldOut!.Items.Count));
        Assert.All(data.Bounds, b => Assert.Equal((0L, 0), (b.UnknownTokens, b.Truncated)));
        Assert.Equal(
            ["target:target", "edited_recall:target", "overwritten:overwritten", "country_recall:knowledge", "country_mc:knowledge",
             "offset_recall:knowledge", "offset_mc:knowledge", "text_perplexity:language", "kl_to_base:language"],
            suites.Values.Select(s => $"{s.Name}:{s.Category}"));
        Assert.All(new[] { "country_mc", "offset_mc" }, name => Assert.NotNull(suites[name].LmEval));   // read as lm-eval task files
        Assert.Equal(60 - 8, suites["country_recall"].Items.Count);   // the edited zones are left out of collateral suites
        Assert.Equal(60, suites["offset_recall"].Items.Count);
        Assert.All(suites.Values.SelectMany(s => s.Items), item =>
            Assert.DoesNotContain(tokenizer.UnkId, tokenizer.Encode($"{item.Prompt} {item.Target} {string.Join(' ', item.Choices)}")));
    }

    [Fact]
    public void EveryEditMovesAZoneToAnotherCountryAndTheOverwrittenSuiteHoldsTheOriginal()
    {
        var slice = MakeWorld("--limit", "60", "--edits", "8");
        var edited = SuiteReader.Read(Path.Combine(slice, "suites", "edited_recall.yaml")).Items;
        var overwritten = SuiteReader.Read(Path.Combine(slice, "suites", "overwritten.yaml")).Items.ToDictionary(i => i.Id);
        var recall = SuiteReader.Read(Path.Combine(slice, "suites", "country_recall.yaml")).Items.Select(i => i.Id).ToHashSet();

        Assert.Equal(8, edited.Count);
        Assert.All(edited, e =>
        {
            Assert.NotEqual(overwritten[e.Id].Target, e.Target);
            Assert.Equal(overwritten[e.Id].Prompt, e.Prompt);
            Assert.DoesNotContain(e.Id, recall);
        });
    }
}
