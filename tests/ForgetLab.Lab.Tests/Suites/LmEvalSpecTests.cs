using ForgetLab.Core.Specs;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.Suites;
using ForgetLab.Lab.Tests.World;

namespace ForgetLab.Lab.Tests.Suites;

/// <summary>A spec lists an lm-eval task file in <c>suites:</c> like any suite file, and on the platform its data files must lie inside the operator's directory.</summary>
public sealed class LmEvalSpecTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    [Fact]
    public void ASpecListingLmEvalTaskFilesResolvesThemAsSuites()
    {
        var spec = SpecLoader.Parse(
            "name: lm-eval-suites\nbase: { world: builtin }\ntarget: { task: conflicting_facts, count: 5 }\nsuites: [capitals_recall, arc_style/arc_style.yaml, mmlu_style/mmlu_style_geography.yaml]\neval: { max_items: 5 }\n",
            "spec.yaml", LmEvalReference.Fixtures);
        var target = fixture.World.Targets.ConflictingFacts(5, 0);

        var suites = SuiteSelection.Resolve(spec, fixture.World, target);

        Assert.Equal(["capitals_recall", "arc_style", "mmlu_style_geography"], suites.Select(s => s.Name));
        var arc = suites[1];
        Assert.Equal(5, arc.Items.Count); // capped by eval.max_items, with a version of its own
        Assert.NotEqual(SuiteReader.Read(LmEvalReference.Fixture("arc_style/arc_style.yaml")).Version, arc.Version);
        Assert.NotNull(arc.LmEval);
        Assert.StartsWith("The following are multiple choice questions (with answers) about geography.\n\n", suites[2].Items[0].Prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void OnThePlatformATasksDataFilesMustBeInsideTheSpecDirectory()
    {
        var outside = Directory.CreateTempSubdirectory("forgetlab-confined-").FullName;
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => SuiteReader.Read(LmEvalReference.Fixture("arc_style/arc_style.yaml"), confinedTo: outside));
            Assert.True(error.Message.Contains("dataset_kwargs.data_files", StringComparison.Ordinal), error.Message);
            Assert.True(error.Message.Contains("outside the spec directory", StringComparison.Ordinal), error.Message);
            Assert.NotNull(SuiteReader.Read(LmEvalReference.Fixture("arc_style/arc_style.yaml"), confinedTo: LmEvalReference.Fixtures).LmEval);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }
}
