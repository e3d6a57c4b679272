using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Specs;

/// <summary>
/// The host-paths finding: on the platform a spec names no file unless an operator configured a
/// spec directory, and then only regular files inside it, after every link is resolved. A refusal is
/// a 400 at the field that never reads the file and never says whether a path outside exists.
/// </summary>
public sealed class PlatformSpecPathTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("forgetlab-specdir-").FullName;
    private readonly string outside = Directory.CreateTempSubdirectory("forgetlab-outside-").FullName;

    public PlatformSpecPathTests()
    {
        Directory.CreateDirectory(Path.Combine(dir, "suites"));
        File.WriteAllText(Path.Combine(dir, "suites", "mine.yaml"), "task: mine\n");
        File.WriteAllText(Path.Combine(outside, "secret.yaml"), "root:x:0:0\n");
        Directory.CreateDirectory(Path.Combine(outside, "model"));
        File.WriteAllText(Path.Combine(outside, "model", "config.json"), "{}");
        File.CreateSymbolicLink(Path.Combine(dir, "suites", "link-out.yaml"), Path.Combine(outside, "secret.yaml"));
        Directory.CreateSymbolicLink(Path.Combine(dir, "out"), outside);
        Directory.CreateDirectory(Path.Combine(dir, "models", "linked"));
        File.CreateSymbolicLink(Path.Combine(dir, "models", "linked", "config.json"), Path.Combine(outside, "model", "config.json"));
        File.CreateSymbolicLink(Path.Combine(dir, "suites", "zero.yaml"), "/dev/zero");
    }

    public void Dispose()
    {
        Directory.Delete(dir, recursive: true);
        Directory.Delete(outside, recursive: true);
    }

    private static readonly string BaseBlock = SpecText.Section("base:", "target:");

    private static IReadOnlyList<string> Errors(string yaml, SpecFiles files)
    {
        var e = Assert.Throws<SpecValidationException>(() => SpecLoader.ParseUnder(yaml, SpecText.Source, files));
        return [.. e.Errors.Select(x => $"{x.Path}: {x.Message}")];
    }

    private static string WithSuite(string suite) => SpecText.With("[target, capitals_recall]", $"[target, '{suite}']");

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../../../../etc/passwd")]
    [InlineData("/proc/self/environ")]
    [InlineData("/dev/zero")]
    [InlineData(".forgetlab/admin.key")]
    [InlineData("suites/mine.yaml")]
    public void WithoutASpecDirectoryEverySuitePathIsRefusedAtItsField(string suite)
    {
        var errors = Errors(WithSuite(suite), SpecFiles.None);

        var error = Assert.Single(errors);
        Assert.StartsWith("suites[1]: a suite file path is not accepted on the platform: name a built-in suite", error);
    }

    [Theory]
    [InlineData("/etc")]
    [InlineData("/no/such/folder")]
    [InlineData("../..")]
    public void WithoutASpecDirectoryABasePathIsRefusedTheSameWayWhetherItExistsOrNot(string path)
    {
        var errors = Errors(SpecText.With(BaseBlock, $"base:\n  path: '{path}'\n"), SpecFiles.None);

        Assert.Equal(["base.path: a model folder path is not accepted on the platform: register the model (POST /api/v1/models) and name it with base.model_ref; " +
            "an operator may allow files from a spec directory (ForgetLab:Experiments:SpecBaseDirectory)"], errors);
    }

    [Fact]
    public void InsideTheSpecDirectoryARegularFileIsTakenByItsRealPath()
    {
        var spec = SpecLoader.ParseUnder(WithSuite("suites/mine.yaml"), SpecText.Source, SpecFiles.ConfinedTo(dir));

        Assert.Equal(SpecFiles.RealPath(Path.Combine(dir, "suites", "mine.yaml")), spec.Suites[1].FilePath);
        Assert.Equal(SpecFiles.RealPath(dir), spec.Suites[1].ConfinedTo);
    }

    [Theory]
    [InlineData("/etc/passwd", "must be relative to the spec directory, not absolute")]
    [InlineData("../../../../etc/passwd", "must not contain '..'")]
    [InlineData("suites/../../x.yaml", "must not contain '..'")]
    [InlineData("suites/link-out.yaml", "leads outside the spec directory")]
    [InlineData("out/secret.yaml", "leads outside the spec directory")]
    [InlineData("suites/zero.yaml", "leads outside the spec directory")]
    [InlineData("suites/none.yaml", "not found in the spec directory")]
    public void InsideTheSpecDirectoryNothingLeadsOut(string suite, string message)
    {
        var error = Assert.Single(Errors(WithSuite(suite), SpecFiles.ConfinedTo(dir)));

        Assert.StartsWith("suites[1]: ", error);
        Assert.Contains(message, error);
        Assert.DoesNotContain("root:x", error);
    }

    [Fact]
    public void ADeviceInsideTheSpecDirectoryIsNoSuite()
    {
        // A device node cannot be made without privileges: an empty file stands for what stat reports of one (no size).
        File.WriteAllText(Path.Combine(dir, "suites", "empty.yaml"), "");

        var error = Assert.Single(Errors(WithSuite("suites/empty.yaml"), SpecFiles.ConfinedTo(dir)));

        Assert.Contains("not a regular, non-empty file", error);
    }

    [Theory]
    [InlineData("out/model", "leads outside the spec directory")]
    [InlineData("models/linked", "holds 'config.json', a link that leads outside the spec directory")]
    [InlineData("/etc", "must be relative to the spec directory, not absolute")]
    public void AModelFolderInsideTheSpecDirectoryHoldsNoLinkOut(string path, string message)
    {
        var error = Assert.Single(Errors(SpecText.With(BaseBlock, $"base:\n  path: '{path}'\n"), SpecFiles.ConfinedTo(dir)));

        Assert.StartsWith("base.path: ", error);
        Assert.Contains(message, error);
    }

    [Fact]
    public void TheStandAloneLabStillTakesAnyPathItsUserCanRead()
    {
        var spec = SpecLoader.ParseUnder(WithSuite(Path.Combine(outside, "secret.yaml")), SpecText.Source, SpecFiles.Local(dir));

        Assert.Equal(Path.Combine(outside, "secret.yaml"), spec.Suites[1].FilePath);
        Assert.Null(spec.Suites[1].ConfinedTo);
    }
}
