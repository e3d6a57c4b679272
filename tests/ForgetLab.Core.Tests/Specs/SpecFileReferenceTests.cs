using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Specs;

/// <summary>Suite files and model folders resolve relative to the spec and must exist.</summary>
public sealed class SpecFileReferenceTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("forgetlab-spec-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // The valid spec's whole base section, replaced by a `path:` base in these tests.
    private static readonly string BaseBlock = SpecText.Section("base:", "target:");

    [Fact]
    public void ASuiteFileNextToTheSpecIsReferencedByItsFullPath()
    {
        Directory.CreateDirectory(Path.Combine(dir, "suites"));
        File.WriteAllText(Path.Combine(dir, "suites", "custom.yaml"), "name: custom\n");

        var spec = SpecText.Parse(SpecText.With("[target, capitals_recall]", "[target, suites/custom.yaml]"), dir);

        var suite = spec.Suites[1];
        Assert.False(suite.IsBuiltIn);
        Assert.Equal("suites/custom.yaml", suite.Name);
        Assert.Equal(Path.Combine(dir, "suites", "custom.yaml"), suite.FilePath);
    }

    [Fact]
    public void AModelFolderWithConfigJsonIsABaseThatIsNotPretrained()
    {
        Directory.CreateDirectory(Path.Combine(dir, "models", "gpt2"));
        File.WriteAllText(Path.Combine(dir, "models", "gpt2", "config.json"), "{}");

        var spec = SpecText.Parse(SpecText.With(BaseBlock, "base:\n  path: models/gpt2\n"), dir);

        Assert.False(spec.Base.IsPretrained);
        Assert.Null(spec.Base.World);
        Assert.Equal(Path.Combine(dir, "models", "gpt2"), spec.Base.Path);
    }

    [Fact]
    public void AMissingModelFolderIsNamed() =>
        Assert.Equal(
            ["spec.yaml:4 base.path: model folder 'models/nope' not found"],
            SpecText.Errors(SpecText.With(BaseBlock, "base:\n  path: models/nope\n"), dir));

    [Fact]
    public void AModelFolderWithoutConfigJsonIsRejected()
    {
        Directory.CreateDirectory(Path.Combine(dir, "empty"));

        Assert.Equal(
            ["spec.yaml:4 base.path: model folder 'empty' has no config.json"],
            SpecText.Errors(SpecText.With(BaseBlock, "base:\n  path: empty\n"), dir));
    }

    [Fact]
    public void APathBaseCannotAlsoNameAWorld()
    {
        Directory.CreateDirectory(Path.Combine(dir, "m"));
        File.WriteAllText(Path.Combine(dir, "m", "config.json"), "{}");

        Assert.Equal(
            ["spec.yaml:4 base.world: cannot be combined with 'path' (a model folder brings its own config.json)"],
            SpecText.Errors(SpecText.With(BaseBlock, "base:\n  world: builtin\n  path: m\n"), dir));
    }

    [Fact]
    public void ABaseNeedsAWorldOrAPath() =>
        Assert.Equal(
            ["spec.yaml:4 base.world: required field is missing (or give 'path' to a model folder, or 'model_ref' to a registered model)"],
            SpecText.Errors(SpecText.With(BaseBlock, "base:\n  model: { n_layer: 2 }\n"), dir));
}
