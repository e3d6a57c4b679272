using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Specs;

/// <summary><c>base: { model_ref: NAME }</c>: a model of the tenant's registry, checked against the registry by the platform.</summary>
public class ModelRefSpecTests
{
    private static string WithBase(string baseSection) =>
        SpecText.Valid.Replace(SpecText.Section("base:", "target:"), baseSection);

    [Fact]
    public void AModelRefIsABaseOfItsOwnThatIsNotPretrainedAndHashesByName()
    {
        var spec = SpecText.Parse(WithBase("base:\n  model_ref: my-base.v2\n"));
        var other = SpecText.Parse(WithBase("base:\n  model_ref: my-base.v3\n"));

        Assert.Equal("my-base.v2", spec.Base.ModelRef);
        Assert.False(spec.Base.IsPretrained);
        Assert.Null(spec.Base.Path);
        Assert.NotEqual(SpecHash.ForBase(spec), SpecHash.ForBase(other));
        Assert.NotEqual(SpecHash.ForBase(spec), SpecHash.ForBase(SpecText.Parse(SpecText.Valid)));
    }

    [Fact]
    public void AModelRefWithWorldFieldsOrABadNameIsRefusedNamingTheField()
    {
        var mixed = SpecText.Errors(WithBase("base:\n  model_ref: mine\n  world: builtin\n"));
        var badName = SpecText.Errors(WithBase("base:\n  model_ref: Not A Name\n"));

        Assert.Contains("spec.yaml:5 base.world: cannot be combined with 'model_ref' (a registered model brings its own config.json)", mixed);
        Assert.Contains(badName, e => e.StartsWith("spec.yaml:4 base.model_ref: must be 1-64 characters", StringComparison.Ordinal));
    }
}
