using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Core.Tests.Specs;

namespace ForgetLab.Core.Tests.Reports;

public class ReportAssemblyTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static readonly BaseModelReport Base = new("builtin-gpt2-2x32", "0123456789abcdef", []);

    private static RunReport Run(string name, double gain, double forgetting, bool evaluated = true, double capitalsDelta = -5) =>
        new(name, "full", RunStatus.Completed, new Dictionary<string, string>(), Severity.Mild, gain, forgetting, ParetoOptimal: false,
            [SampleReport.Capitals(capitalsDelta, capitalsDelta - 2, capitalsDelta + 2, Severity.Mild)],
            evaluated ? [new CheckpointReport(10, 1.0, [])] : []);

    [Fact]
    public void TheFrontierHoldsTheRunsNoOtherBeatsOnGainAndForgettingAndEachRunIsMarked()
    {
        var report = ReportAssembly.Assemble("exp", Created, Base,
            [Run("learns-most", 40, 12), Run("forgets-least", 20, 0), Run("dominated", 10, 20)]);

        Assert.Equal(["learns-most", "forgets-least"], report.Frontier);
        Assert.Equal([true, true, false], report.Runs.Select(r => r.ParetoOptimal));
        Assert.Equal(["learns-most", "forgets-least", "dominated"], report.Runs.Select(r => r.Name));
        Assert.Equal(("exp", Created, Base), (report.SpecName, report.CreatedUtc, report.Base));
    }

    [Fact]
    public void ARunNeverEvaluatedHasNoPointAndIsNeverOnTheFrontier()
    {
        // Its zero forgetting would dominate everything if it were placed.
        var report = ReportAssembly.Assemble("exp", Created, Base, [Run("failed-at-once", 0, 0, evaluated: false), Run("evaluated", 5, 30)]);

        Assert.Equal(["evaluated"], report.Frontier);
        Assert.False(report.Runs[0].ParetoOptimal);
        Assert.Empty(ReportAssembly.Assemble("exp", Created, Base, [Run("failed-at-once", 0, 0, evaluated: false)]).Frontier);
    }

    [Fact]
    public void RecipesRunWithSeveralSeedsAreSummarisedAcrossTheirSeeds()
    {
        var report = ReportAssembly.Assemble("exp", Created, Base,
            [Run("full-lr1e-4-steps20-seed1", 30, 10, capitalsDelta: -10), Run("full-lr1e-4-steps20-seed2", 40, 14, capitalsDelta: -14), Run("lora-r4-lr1e-3-steps20-seed1", 5, 1)]);

        var group = Assert.Single(report.SeedGroups);
        Assert.Equal(["full-lr1e-4-steps20-seed1", "full-lr1e-4-steps20-seed2"], group.Runs);
        Assert.Equal(-12, Assert.Single(group.Suites).DeltaMean, 10);
    }

    [Fact]
    public void TheBaseScoresAreThoseTheFirstRunReportingASuiteWasComparedWith()
    {
        RunReport[] runs =
        [
            Run("a", 1, 1) with { Suites = [SampleReport.Capitals(-1, -2, 0, Severity.Mild)] },
            Run("b", 1, 1) with { Suites = [SampleReport.Capitals(-3, -4, -2, Severity.Mild) with { Base = 50 }, SampleReport.WikiText(0.1)] },
        ];

        var suites = ReportAssembly.BaseSuitesOf(runs);

        Assert.Equal(
            [new BaseSuiteScore("capitals", "1", SuiteCategory.Knowledge, "acc", 91.2, 198), new BaseSuiteScore("wiki_text", "3", SuiteCategory.Language, "nats_per_token", 2.5, 400)],
            suites);
    }

    [Fact]
    public void ABaseOfTheBuiltInWorldIsNamedByItsShapeAndARegisteredOneByItsName()
    {
        var world = SpecText.Parse(SpecText.Valid);
        var registered = SpecText.Parse(SpecText.Valid.Replace(SpecText.Section("base:", "target:"), "base:\n  model_ref: my-base.v2\n"));

        Assert.Equal("builtin-gpt2-2x32", ReportAssembly.BaseModelName(world));
        Assert.Equal("my-base.v2", ReportAssembly.BaseModelName(registered));
    }

    [Fact]
    public void ARegisteredModelsHashOnThePlatformIsTenantScopedSoTwoTenantsNamesNeverMeet()
    {
        var world = SpecText.Parse(SpecText.Valid);
        var registered = SpecText.Parse(SpecText.Valid.Replace(SpecText.Section("base:", "target:"), "base:\n  model_ref: my-base.v2\n"));

        Assert.Equal(SpecHash.ForBase(world), ReportAssembly.PlatformBaseModelHash(world, "acme"));
        Assert.Equal("acme/my-base.v2", ReportAssembly.PlatformBaseModelHash(registered, "acme"));
        Assert.NotEqual(ReportAssembly.PlatformBaseModelHash(registered, "acme"), ReportAssembly.PlatformBaseModelHash(registered, "globex"));
    }
}
