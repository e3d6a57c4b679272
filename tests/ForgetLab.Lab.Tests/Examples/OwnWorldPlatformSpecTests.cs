using System.Text.RegularExpressions;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Runs;

namespace ForgetLab.Lab.Tests.Examples;

/// <summary>
/// <c>examples/own-world/platform.yaml</c>, the own world on the platform: the data sets its header uploads (each file,
/// or each folder's JSONL and YAML files, as <c>forgetlab datasets upload</c> sends them) are exactly the ones it names,
/// and a worker's job that was brought them reads every data file and suite of the spec with the lab's readers.
/// </summary>
public sealed partial class OwnWorldPlatformSpecTests
{
    private static readonly string Folder = Path.Combine(Model.ReferenceModels.RepoRoot(), "examples", "own-world");

    [Fact]
    public void ThePlatformSpecNamesTheDataSetsItsHeaderUploadsAndAJobReadsThemAll()
    {
        var text = File.ReadAllText(Path.Combine(Folder, "platform.yaml"));
        var brought = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match upload in Upload().Matches(text))
        {
            // What the CLI sends: the file itself, or the folder's *.jsonl and *.yaml files (not its sub-folders).
            var source = Path.Combine(Model.ReferenceModels.RepoRoot(), upload.Groups["path"].Value);
            var folder = TinyModels.TempDirectory();
            var files = Directory.Exists(source)
                ? Directory.GetFiles(source).Where(f => f.EndsWith(".jsonl", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
                : [source];
            foreach (var file in files) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            brought[upload.Groups["name"].Value] = folder;
        }

        var onServer = SpecLoader.ParseUnder(text, "platform.yaml", SpecFiles.None);
        var inJob = SpecLoader.ParseUnder(text, "platform.yaml", SpecFiles.None with { DatasetFolders = brought });
        PreparedData.Check(inJob);   // every data file and every suite, read as the job reads them before a base is built

        Assert.Equal(brought.Keys.Order(StringComparer.Ordinal), onServer.DataRefs.Select(d => d.Name).Distinct().Order(StringComparer.Ordinal));
        var local = SpecLoader.LoadFile(Path.Combine(Folder, "spec.yaml"));
        Assert.Equal(local.Suites.Count, inJob.Suites.Count);
        Assert.All(inJob.Suites.Skip(1), s => Assert.NotNull(s.Data));
        Assert.Equal(local.Suites.Skip(1).Select(s => Path.GetFileName(s.FilePath)), inJob.Suites.Skip(1).Select(s => Path.GetFileName(s.FilePath)));
        Assert.Equal((local.Base.Model, local.Base.Pretrain.Steps), (inJob.Base.Model, inJob.Base.Pretrain.Steps));
        Assert.Equal(local.Grid.Methods.Count * local.Variants.Count, inJob.Grid.Methods.Count * inJob.Variants.Count);
    }

    [GeneratedRegex(@"forgetlab datasets upload (?<path>\S+) --name (?<name>\S+)")]
    private static partial Regex Upload();
}
