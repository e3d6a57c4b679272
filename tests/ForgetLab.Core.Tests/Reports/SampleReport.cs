using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;

namespace ForgetLab.Core.Tests.Reports;

/// <summary>A small report with one binary and one continuous suite and two runs.</summary>
internal static class SampleReport
{
    public static SuiteResult Capitals(double delta, double lo, double hi, Severity severity, params string[] lost) =>
        new("capitals", "1", SuiteCategory.Knowledge, "acc", OutcomeKind.Binary,
            Base: 91.2, Score: 91.2 + delta, DeltaPoints: delta, RelativeChange: null, Ci95: [lo, hi],
            PValue: 0.0004, PHolm: 0.0008, Severity: severity, Retention: 0.81, N: 198, Lost: lost, Gained: ["item-7"]);

    public static SuiteResult WikiText(double delta) =>
        new("wiki_text", "3", SuiteCategory.Language, "nats_per_token", OutcomeKind.Continuous,
            Base: 2.5, Score: 2.5 + delta, DeltaPoints: delta, RelativeChange: 100 * delta / 2.5, Ci95: [delta - 0.05, delta + 0.05],
            PValue: 0.0001, PHolm: 0.0002, Severity: null, Retention: null, N: 400, Lost: [], Gained: []);

    public static ForgettingReport Create() => new(
        SpecName: "capitals-counterfactual",
        CreatedUtc: new DateTimeOffset(2025, 3, 1, 12, 30, 0, TimeSpan.Zero),
        Base: new BaseModelReport("gpt-mini-3m", "sha256:abc123",
        [
            new BaseSuiteScore("capitals", "1", SuiteCategory.Knowledge, "acc", 91.2, 198),
            new BaseSuiteScore("wiki_text", "3", SuiteCategory.Language, "nats_per_token", 2.5, 400),
        ]),
        Runs:
        [
            new RunReport("full-lr1e-4", "full", RunStatus.Completed,
                new Dictionary<string, string> { ["lr"] = "1e-4", ["steps"] = "100" },
                Severity.Moderate, TargetGainPoints: 40.5, ForgettingPoints: 12.3, ParetoOptimal: true,
                [Capitals(-12.3, -18.0, -6.5, Severity.Moderate, "Q_France_capital", "Q_Peru_capital"), WikiText(0.21)],
                [new CheckpointReport(50, 1.25, [Capitals(-4.0, -7.0, -1.0, Severity.Mild, "Q_France_capital")])]),
            new RunReport("lora-lr1e-3", "lora", RunStatus.StoppedEarly,
                new Dictionary<string, string> { ["lr"] = "1e-3", ["rank"] = "8" },
                Severity.None, TargetGainPoints: 20.0, ForgettingPoints: 0.0, ParetoOptimal: true,
                [Capitals(0.4, -1.2, 2.0, Severity.None), WikiText(-0.012)],
                [new CheckpointReport(25, double.NaN, [])]),
        ],
        Frontier: ["full-lr1e-4", "lora-lr1e-3"]);
}
