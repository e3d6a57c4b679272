using System.Collections.Immutable;
using ForgetLab.Contracts.Experiments;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;
using ForgetLab.Dashboard.Data;

namespace ForgetLab.Dashboard.Tests;

/// <summary>Reports of any size, built from simple rules so tests can say what each cell must show.</summary>
public static class SampleReports
{
    public static IReadOnlyList<string> Suites(int count) =>
        [.. Enumerable.Range(0, count).Select(i => i == 0 ? "target" : $"suite{i:00}")];

    /// <summary>Run i loses i % 40 points on every non-target suite and gains i % 30 on the target; runs 0 and 1 are on the front.</summary>
    public static RunReport Run(int i, IReadOnlyList<string> suites)
    {
        var results = suites.Select((s, j) =>
        {
            var target = j == 0;
            var delta = target ? i % 30 : -(i % 40);
            var severity = target ? (Severity?)null : Band(-delta);
            return new SuiteResult(s, "1", target ? SuiteCategory.Target : SuiteCategory.Knowledge, "exact_match", OutcomeKind.Binary,
                target ? 0 : 90, (target ? 0 : 90) + delta, delta, null, [delta - 3, delta + 3], delta == 0 ? 1 : 0.001, delta == 0 ? 1 : 0.004,
                severity, null, 200, [], []);
        }).ToList();
        return new RunReport($"run-{i:000}", i % 2 == 0 ? "full" : "lora", RunStatus.Completed,
            new Dictionary<string, string> { ["lr"] = $"{i}e-4", ["steps"] = "80" },
            results.Where(r => r.Severity is not null).Select(r => r.Severity!.Value).DefaultIfEmpty(Severity.None).Max(),
            i % 30, i % 40, i < 2, results, [new CheckpointReport(80, 1.5, results)]);
    }

    /// <summary>The bands of docs/science.md for a significant drop of <paramref name="drop"/> points.</summary>
    public static Severity Band(double drop) => drop switch
    {
        <= 0 => Severity.None,
        < 5 => Severity.Mild,
        < 15 => Severity.Moderate,
        _ => Severity.Severe,
    };

    public static ExperimentData Experiment(string id, int runs, int suites)
    {
        var names = Suites(suites);
        var reports = Enumerable.Range(0, runs).Select(i => Run(i, names)).ToList();
        var base_ = new BaseModelReport("builtin-gpt2-4x256", "abc123", [.. names.Select(s => new BaseSuiteScore(s, "1", SuiteCategory.Knowledge, "exact_match", 90, 200))]);
        var report = new ForgettingReport(id, DateTimeOffset.UnixEpoch, base_, reports, [.. reports.Where(r => r.ParetoOptimal).Select(r => r.Name)]);
        var view = new ExperimentView("demo", id, "a test experiment", DateTimeOffset.UnixEpoch, [.. reports.Select(r => r.Name)], false, false, "name: " + id);
        return new ExperimentData(view, [.. reports.Select(r => new RunSummary(r.Name, RunState.Completed, 80, 1))], report);
    }
}
