using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Specs;

/// <summary><c>evaluate: [{ name, path | model_ref }]</c>: models trained elsewhere, evaluated against the base instead of a grid.</summary>
public class EvaluateSpecTests
{
    /// <summary>The valid spec without its train and grid sections, and with an evaluate list instead.</summary>
    private static string Evaluating(string evaluate) =>
        SpecText.Valid.Replace(SpecText.Section("train:\n  steps: 20", "eval:\n"), evaluate);

    private static string Folder(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "forgetlab-evaluate-spec-tests", name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public void AnEvaluateListBecomesTheSpecsRunsInOrderAndExpandsNoGrid()
    {
        var a = Folder("adapter-a");
        var spec = SpecText.Parse(Evaluating($"evaluate:\n  - {{ name: lora-a, path: {a} }}\n  - {{ name: registered, model_ref: tuned.v1 }}\n"));

        Assert.True(spec.IsEvaluationOnly);
        Assert.Equal(["lora-a", "registered"], spec.Evaluate.Select(e => e.Name));
        Assert.Equal(a, spec.Evaluate[0].Path);
        Assert.Equal("tuned.v1", spec.Evaluate[1].ModelRef);
        Assert.Empty(GridExpansion.Expand(spec));
        Assert.Equal(0, GridExpansion.Count(spec));
        Assert.False(SpecText.Parse(SpecText.Valid).IsEvaluationOnly);
    }

    [Fact]
    public void AnEvaluateListBesideAGridOrTrainSettingsIsRefusedNamingThem()
    {
        var a = Folder("adapter-a");
        var errors = SpecText.Errors(SpecText.Valid + $"evaluate:\n  - {{ name: lora-a, path: {a} }}\n");

        Assert.Contains(errors, e => e.StartsWith("spec.yaml:19 train: cannot be combined with 'evaluate'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("spec.yaml:25 grid: cannot be combined with 'evaluate'", StringComparison.Ordinal));
    }

    [Fact]
    public void AnEmptyListDuplicateNamesAMissingFolderAndAnEntryWithoutOrWithBothSourcesAreRefusedAtTheirFields()
    {
        var a = Folder("adapter-a");
        Assert.Contains(SpecText.Errors(Evaluating("evaluate: []\n")), e => e.EndsWith("evaluate: must not be empty", StringComparison.Ordinal));

        var errors = SpecText.Errors(Evaluating(
            $"evaluate:\n  - {{ name: one, path: {a} }}\n  - {{ name: one, path: {a} }}\n  - {{ name: gone, path: no/such/folder }}\n" +
            $"  - {{ name: neither }}\n  - {{ name: both, path: {a}, model_ref: m }}\n  - {{ name: Bad Name, path: {a} }}\n"));

        Assert.Contains("spec.yaml:21 evaluate[1].name: same name as evaluate[0] ('one')", errors);
        Assert.Contains("spec.yaml:22 evaluate[2].path: model folder 'no/such/folder' not found", errors);
        Assert.Contains(errors, e => e.StartsWith("spec.yaml:23 evaluate[3].path: required field is missing", StringComparison.Ordinal));
        Assert.Contains("spec.yaml:24 evaluate[4].model_ref: give either 'path' (a folder) or 'model_ref' (a registered model), not both", errors);
        Assert.Contains(errors, e => e.StartsWith("spec.yaml:25 evaluate[5].name: must be 1-64 characters", StringComparison.Ordinal));
    }

    [Fact]
    public void OnThePlatformAnEntrysFolderPathIsRefusedAndAModelRefIsAccepted()
    {
        var yaml = Evaluating("evaluate:\n  - { name: local, path: some/adapter }\n");
        var e = Assert.Throws<SpecValidationException>(() => SpecLoader.ParseUnder(yaml, SpecText.Source, SpecFiles.None));

        Assert.Contains(e.Errors, error => error.Path == "evaluate[0].path" && error.Message.Contains("not accepted on the platform", StringComparison.Ordinal));
        var registered = SpecLoader.ParseUnder(Evaluating("evaluate:\n  - { name: reg, model_ref: tuned }\n"), SpecText.Source, SpecFiles.None);
        Assert.Equal("tuned", registered.Evaluate.Single().ModelRef);
    }
}
