using System.Xml.Linq;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Plots;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Tests.Reports;

namespace ForgetLab.Core.Tests.Plots;

public class ReportPlotsTests
{
    private static SuiteResult Knowledge(double delta) => SampleReport.Capitals(delta, delta - 1, delta + 1, Severity.None);

    private static SuiteResult Kl(double kl) =>
        new("kl_to_base", "1", SuiteCategory.Language, "kl", OutcomeKind.Continuous, 0, kl, kl, null, [kl, kl], 0.01, 0.01, null, null, 50, [], []);

    /// <summary>A LoRA run whose knowledge drop grows as 2·step^0.5 and whose final KL is 0.001·params^0.5.</summary>
    private static RunReport Lora(int rank, string modules, long parameters) =>
        new($"lora-{modules}-r{rank}-lr1e-3-steps100-seed1", "lora", RunStatus.Completed,
            new Dictionary<string, string> { ["method"] = $"lora-r{rank}", ["lr"] = "1e-3", ["lora_rank"] = $"{rank}", ["lora_target_modules"] = modules },
            Severity.None, 10, 2 * Math.Sqrt(100), false, [Knowledge(-2 * Math.Sqrt(100)), Kl(0.001 * Math.Sqrt(parameters))],
            [.. new[] { 25, 50, 100 }.Select(step => new CheckpointReport(step, 1.0, [Knowledge(-2 * Math.Sqrt(step)), Kl(0.01 * step)]))]);

    private static ForgettingReport Scaling() => new("scaling", DateTimeOffset.UnixEpoch, new BaseModelReport("builtin-gpt2-4x256", "h", []),
        [
            Lora(1, "c_attn,attn.c_proj", 6144), Lora(4, "c_attn,attn.c_proj", 4 * 6144),
            Lora(1, "c_attn,c_proj,c_fc", 16384), Lora(4, "c_attn,c_proj,c_fc", 4 * 16384),
        ], []);

    [Fact]
    public void TrainableParametersOfLoraFollowTheBlockShapes()
    {
        var runs = Scaling().Runs;

        Assert.Equal([6144L, 4 * 6144, 16384, 4 * 16384], runs.Select(r => TrainableParameters.OfLora(r, "builtin-gpt2-4x256")));
        Assert.Equal(2 * (8 * (32 + 96)), TrainableParameters.OfLora(runs[0] with
        {
            Hyperparameters = new Dictionary<string, string> { ["lora_rank"] = "8", ["lora_target_modules"] = "c_attn" },
        }, "builtin-gpt2-2x32"));
        Assert.Null(TrainableParameters.OfLora(SampleReport.Create().Runs[0], "builtin-gpt2-4x256"));
    }

    [Fact]
    public void AScalingReportGivesEveryFigureWithItsFits()
    {
        var files = ReportPlots.Draw(Scaling(), "s");

        Assert.Equal(["s-frontier.svg", "s-steps.svg", "s-steps-kl.svg", "s-params.svg", "s-params-kl.svg"], files.Select(f => f.FileName));
        Assert.All(files, f => Assert.Equal("svg", XDocument.Parse(f.Svg).Root!.Name.LocalName));
        var steps = files.Single(f => f.FileName == "s-steps.svg").Summary;
        Assert.Contains(steps, line => line.Contains("x^0.500, R² = 1.000 (3 of 3 points)", StringComparison.Ordinal));
        var parameters = files.Single(f => f.FileName == "s-params-kl.svg").Summary;
        Assert.Contains(parameters, line => line.StartsWith("all LoRA runs pooled: y = 0.001·x^0.500, R² = 1.000", StringComparison.Ordinal));
    }

    [Fact]
    public void TheFrontierUsesSeedMeansWithTheirIntervals()
    {
        var report = SampleReport.Create() with
        {
            SeedGroups =
            [
                new SeedGroup("naive-full", ["a", "b"], 12, [8, 16], 80, [70, 90], []),
                new SeedGroup("replay-full", ["c", "d"], 6, [4, 8], 10, [8, 12], []),
                new SeedGroup("worse-full", ["e", "f"], 5, [4, 6], 20, [18, 22], []),
            ],
        };

        var frontier = ReportPlots.Draw(report, "a")[0];

        Assert.Equal("Pareto front (by mean): replay, naive", frontier.Summary[0]);
        Assert.Contains("mean over seeds (2 seeds),", frontier.Svg, StringComparison.Ordinal);
        // Two error bars (x and y) per recipe.
        Assert.Equal(6, XDocument.Parse(frontier.Svg).Root!.Elements().Count(e => e.Name.LocalName == "line" && e.Attribute("stroke-width")?.Value == "1.2"));
    }

    [Fact]
    public void LearningRatesOfOneMethodGiveTheLrFigure()
    {
        var run = SampleReport.Create().Runs[0];
        var report = SampleReport.Create() with
        {
            Runs = [run, run with { Name = "full-lr3e-4", Hyperparameters = new Dictionary<string, string> { ["lr"] = "3e-4", ["method"] = "full" } }],
        };

        var lr = ReportPlots.Draw(report, "q").Single(f => f.FileName == "q-lr.svg");

        Assert.Contains(lr.Summary, line => line.StartsWith("full lr 0.0001: knowledge drop 12.3", StringComparison.Ordinal));
    }

    [Fact]
    public void ShortNamesDropThePartsEveryNameSharesAndSuffixesVariantsMakeRedundant()
    {
        Assert.Equal(["naive", "replay", "l2sp-0.3"],
            ReportPlots.ShortNames(["naive-full-lr1e-4-steps80", "replay-full-lr1e-4-steps80-replay0.25", "l2sp-0.3-full-lr1e-4-steps80-l2sp3e-1"]));
        Assert.Equal(["full-lr1e-4", "replay0.25"], ReportPlots.ShortNames(["full-lr1e-4", "full-lr1e-4-replay0.25"]));
    }

    [Fact]
    public void LogTicksAreOneTwoFiveWithinTheRange() =>
        Assert.Equal([10.0, 20, 50, 100], SvgChart.Ticks(10, 100, log: true));
}
