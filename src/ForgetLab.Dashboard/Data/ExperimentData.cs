using ForgetLab.Contracts.Experiments;
using ForgetLab.Core.Reports;

namespace ForgetLab.Dashboard.Data;

/// <summary>One experiment screen's data, from one call: the experiment, each run's state and the report of its ended runs.</summary>
public sealed record ExperimentData(ExperimentView Experiment, IReadOnlyList<RunSummary> Runs, ForgettingReport Report)
{
    /// <summary>The grid's rows: every run with its report when it has one.</summary>
    public IReadOnlyList<RunRow> Rows { get; } = BuildRows(Runs, Report);

    private static List<RunRow> BuildRows(IReadOnlyList<RunSummary> runs, ForgettingReport report)
    {
        var reports = report.Runs.ToDictionary(r => r.Name);
        return [.. runs.Select(r => new RunRow(r, reports.GetValueOrDefault(r.RunId)))];
    }
}

/// <summary>A run in the experiment's grid.</summary>
public sealed record RunRow(RunSummary Summary, RunReport? Report)
{
    public string RunId => Summary.RunId;
}
