using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;
using ForgetLab.Dashboard.Components;
using ForgetLab.Dashboard.Data;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ForgetLab.Dashboard.Pages.Runs;

/// <summary>
/// One run, live: refreshed every two seconds over the circuit until it has ended — state timeline,
/// progress, loss, a reward fine-tuning run's reward, KL, entropy and length by training step, the suites' scores at every
/// evaluated checkpoint, then the drill-down into the
/// items each checkpoint lost and gained, drift and KL from the run's report.
/// </summary>
public partial class RunPage : LivePage
{
    private RunData? _data;
    private List<BreadcrumbItem> _crumbs = [];

    // Losses by step: the run grain's bounded history, the checkpoints' losses from the report, and the latest loss (which the history may have thinned out).
    private readonly SortedDictionary<long, double> _losses = [];
    private IReadOnlyDictionary<string, IReadOnlyList<double?>> _lossSeries = new Dictionary<string, IReadOnlyList<double?>>();
    private IReadOnlyList<string> _lossLabels = [];
    private IReadOnlyDictionary<string, IReadOnlyList<double?>> _capabilitySeries = new Dictionary<string, IReadOnlyList<double?>>();
    private IReadOnlyList<string> _checkpointLabels = [];

    private long _step;
    private int _suiteIndex;
    private IReadOnlyList<ItemChange>? _items;

    [Parameter] public string ExperimentId { get; set; } = "";

    [Parameter] public string RunId { get; set; } = "";

    protected override bool KeepRefreshing => _data is null || !RunStates.HasEnded(_data.Run.State) || _data.Report is null;

    private double Progress => _data is { } d && d.Run.Recipe.Steps > 0 ? Math.Clamp(100.0 * d.Run.LastStep / d.Run.Recipe.Steps, 0, 100) : 0;

    protected override async Task Load()
    {
        var hadReport = _data?.Report is not null;
        var data = await Data.Run(await User(), ExperimentId, RunId, Stopping);
        if (data is null)
        {
            Navigation.NotFound();
            return;
        }

        _data = data;
        _crumbs =
        [
            new BreadcrumbItem("Overview", DashboardRoutes.Overview),
            new BreadcrumbItem(ExperimentId, DashboardRoutes.Experiment(ExperimentId)),
            new BreadcrumbItem(RunId, null, disabled: true),
        ];
        BuildCurves(data);
        if (data.Report is { } report && !hadReport && report.Checkpoints.Count > 0)
        {
            _step = report.Checkpoints[^1].Step;
            _suiteIndex = 0;
            await LoadItems();
        }
    }

    private void BuildCurves(RunData data)
    {
        foreach (var point in data.Run.LossHistory.IsDefault ? [] : data.Run.LossHistory)
            _losses[point.Step] = point.Loss;
        if (data.Report is { } report)
            foreach (var c in report.Checkpoints)
                if (c.TrainLoss is { } loss && double.IsFinite(loss)) _losses[c.Step] = loss;
        if (data.Run.LastTrainLoss is { } last && double.IsFinite(last) && data.Run.LastStep > 0) _losses[data.Run.LastStep] = last;
        // Up to 512 points: label about a dozen steps so the axis stays readable (an empty label draws no text).
        var every = Math.Max(1, (_losses.Count + 11) / 12);
        _lossLabels = [.. _losses.Keys.Select((k, i) => i % every == 0 || i == _losses.Count - 1 ? k.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")];
        _lossSeries = _losses.Count == 0 ? new Dictionary<string, IReadOnlyList<double?>>() : new Dictionary<string, IReadOnlyList<double?>> { ["train loss"] = [.. _losses.Values.Select(v => (double?)v)] };

        // Capability curves from the checkpoints the run grain records as they are evaluated (live), one line per suite.
        var evaluated = data.Run.Checkpoints.Where(c => c.EvaluatedAt is not null && !c.Scores.IsDefaultOrEmpty).OrderBy(c => c.Step).ToList();
        _checkpointLabels = [.. evaluated.Select(c => c.Step.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        var suites = data.Suites.Count > 0 ? data.Suites : [.. evaluated.SelectMany(c => c.Scores.Select(s => s.Suite)).Distinct()];
        _capabilitySeries = evaluated.Count == 0
            ? new Dictionary<string, IReadOnlyList<double?>>()
            : suites.ToDictionary(s => s, s => (IReadOnlyList<double?>)[.. evaluated.Select(c => c.Scores.FirstOrDefault(x => x.Suite == s)?.Score)]);
    }

    private IReadOnlyList<SuiteResult> StepSuites(RunReport report) =>
        report.Checkpoints.FirstOrDefault(c => c.Step == _step)?.Suites ?? [];

    private async Task PickStep(long step)
    {
        _step = step;
        await LoadItems();
    }

    private async Task PickSuite(int index)
    {
        _suiteIndex = index;
        await LoadItems();
    }

    private async Task LoadItems()
    {
        var suites = _data?.Report is { } report ? StepSuites(report) : [];
        _items = _suiteIndex < suites.Count
            ? await Data.ItemChanges(await User(), ExperimentId, RunId, _step, suites[_suiteIndex].Suite, Stopping)
            : null;
    }

    /// <summary>A duration as people read it: seconds under two minutes, else minutes, else hours.</summary>
    internal static string Seconds(double seconds) => seconds switch
    {
        < 120 => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{seconds:0.#} s"),
        < 7200 => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{seconds / 60:0.#} min"),
        _ => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{seconds / 3600:0.#} h"),
    };

    /// <summary>Points to one decimal, as the report prints forgetting.</summary>
    internal static string Points(double points) => points.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

    private static string Ci(SuiteResult s) =>
        s.Ci95.Count == 2 ? $"[{s.Ci95[0]:+0.00;-0.00}, {s.Ci95[1]:+0.00;-0.00}]" : "n/a";
}
