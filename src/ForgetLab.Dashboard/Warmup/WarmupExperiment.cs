using System.Text.Json;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;
using ForgetLab.Dashboard.Data;

namespace ForgetLab.Dashboard.Warmup;

/// <summary>
/// A made-up experiment of 25 ended runs (one grid page) on ten suites, held in memory only: what the server renders at start
/// (<see cref="PageWarmup"/>) so that a user's first view does not pay for compiling the page. It is put together the
/// way the platform puts a real one together: run reports read from their JSON (<see cref="ReportJson"/>), then the
/// report assembled by <see cref="ReportAssembly"/>. No user's data and no storage is read.
/// </summary>
public static class WarmupExperiment
{
    public const string TenantId = "warmup";
    public const string ExperimentId = "warmup";

    /// <summary>A grid page of runs on as many suites as the 500-run benchmark's: each row and cell's code runs often enough to be compiled fully.</summary>
    public const int Runs = 25;

    private static readonly string[] SuiteNames = ["target", .. Enumerable.Range(1, 9).Select(i => $"suite{i}")];

    public static ExperimentData Build(string specText, DateTimeOffset now)
    {
        // Each report goes through its JSON as it comes from Blob storage, which builds the serializer's metadata for the report types.
        var reports = Enumerable.Range(0, Runs)
            .Select(i => JsonSerializer.Deserialize<RunReport>(JsonSerializer.Serialize(Run(i), ReportJson.Options), ReportJson.Options)!)
            .ToList();
        var baseModel = new BaseModelReport("warmup-base", "warmup", ReportAssembly.BaseSuitesOf(reports));
        var report = ReportAssembly.WithRunData(ReportAssembly.Assemble(ExperimentId, now, baseModel, reports));
        var view = new ExperimentView(TenantId, ExperimentId, "rendered once at server start", now, [.. reports.Select(r => r.Name)], false, false, specText);
        return new ExperimentData(view, [.. reports.Select(r => new RunSummary(r.Name, RunState.Completed, 20, 1))], report);
    }

    /// <summary>Run i gains 2·i points on the target and loses i on each other suite, so every run is on the front.</summary>
    private static RunReport Run(int i)
    {
        var severity = i switch { 0 => Severity.None, < 5 => Severity.Mild, < 15 => Severity.Moderate, _ => Severity.Severe };
        var suites = SuiteNames.Select((suite, j) =>
        {
            var target = j == 0;
            double delta = target ? 2 * i : -i;
            return new SuiteResult(suite, "1", target ? SuiteCategory.Target : SuiteCategory.Knowledge, "exact_match", OutcomeKind.Binary,
                target ? 0 : 90, (target ? 0 : 90) + delta, delta, null, [delta - 3, delta + 3], i == 0 ? 1 : 0.01, i == 0 ? 1 : 0.02,
                target ? null : severity, null, 100, [], []);
        }).ToList();
        return new RunReport($"run-{i}", i % 2 == 0 ? "full" : "lora", RunStatus.Completed,
            new Dictionary<string, string> { ["lr"] = $"{i + 1}e-4", ["steps"] = "20" },
            severity, 2 * i, i, false, suites, [new CheckpointReport(20, 1.5, suites)]);
    }
}
