using System.Text.Json;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;
using ForgetLab.Dashboard.Data;

namespace ForgetLab.Dashboard.Warmup;

/// <summary>
/// A made-up experiment of three ended runs on three suites, held in memory only: what the server renders at start
/// (<see cref="PageWarmup"/>) so that a user's first view does not pay for compiling the page. It is put together the
/// way the platform puts a real one together: run reports read from their JSON (<see cref="ReportJson"/>), then the
/// report assembled by <see cref="ReportAssembly"/>. No user's data and no storage is read.
/// </summary>
public static class WarmupExperiment
{
    public const string TenantId = "warmup";
    public const string ExperimentId = "warmup";

    private static readonly string[] SuiteNames = ["target", "capitals_recall", "arithmetic"];

    public static ExperimentData Build(string specText, DateTimeOffset now)
    {
        // Each report goes through its JSON as it comes from Blob storage, which builds the serializer's metadata for the report types.
        var reports = Enumerable.Range(0, 3)
            .Select(i => JsonSerializer.Deserialize<RunReport>(JsonSerializer.Serialize(Run(i), ReportJson.Options), ReportJson.Options)!)
            .ToList();
        var baseModel = new BaseModelReport("warmup-base", "warmup", ReportAssembly.BaseSuitesOf(reports));
        var report = ReportAssembly.WithRunData(ReportAssembly.Assemble(ExperimentId, now, baseModel, reports));
        var view = new ExperimentView(TenantId, ExperimentId, "rendered once at server start", now, [.. reports.Select(r => r.Name)], false, false, specText);
        return new ExperimentData(view, [.. reports.Select(r => new RunSummary(r.Name, RunState.Completed, 20, 1))], report);
    }

    /// <summary>Run i gains 10·i points on the target and loses 5·i on each other suite.</summary>
    private static RunReport Run(int i)
    {
        var suites = SuiteNames.Select((suite, j) =>
        {
            var target = j == 0;
            double delta = target ? 10 * i : -5 * i;
            return new SuiteResult(suite, "1", target ? SuiteCategory.Target : SuiteCategory.Knowledge, "exact_match", OutcomeKind.Binary,
                target ? 0 : 90, (target ? 0 : 90) + delta, delta, null, [delta - 3, delta + 3], i == 0 ? 1 : 0.01, i == 0 ? 1 : 0.02,
                target ? null : i == 0 ? Severity.None : Severity.Mild, null, 100, [], []);
        }).ToList();
        return new RunReport($"run-{i}", i == 2 ? "lora" : "full", RunStatus.Completed,
            new Dictionary<string, string> { ["lr"] = $"{i + 1}e-4", ["steps"] = "20" },
            i == 0 ? Severity.None : Severity.Mild, 10 * i, 5 * i, false, suites, [new CheckpointReport(20, 1.5, suites)]);
    }
}
