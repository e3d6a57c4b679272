using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Reports;
using ForgetLab.Dashboard.Components;
using ForgetLab.Dashboard.Data;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ForgetLab.Dashboard.Pages.Experiments;

/// <summary>
/// One experiment: its runs in a server-paged grid, the heatmap of the grid's page, the frontier of
/// every ended run, the baseline and the report's export. One data call per refresh; refreshes
/// every few seconds until every run has ended. Another tenant's experiment is the 404 page.
/// </summary>
public partial class ExperimentPage : LivePage
{
    private ExperimentData? _data;
    private MudDataGrid<RunRow>? _grid;
    private IReadOnlyList<RunReport> _pageReports = [];
    private IReadOnlyList<string> _suites = [];
    private string? _search;
    private RunState? _state;
    private HashSet<string> _varying = [];

    [Parameter] public string ExperimentId { get; set; } = "";

    protected override TimeSpan Interval => TimeSpan.FromSeconds(4);

    protected override bool KeepRefreshing => _data is not null && _data.Rows.Any(r => !RunStates.HasEnded(r.Summary.State));

    protected override async Task Load()
    {
        var data = await Data.Experiment(await User(), ExperimentId, Stopping);
        if (data is null)
        {
            Navigation.NotFound();
            return;
        }

        _data = data;
        _suites = [.. data.Report.Base.Suites.Select(s => s.Suite)];
        _varying = [.. data.Report.Runs.SelectMany(r => r.Hyperparameters).GroupBy(p => p.Key)
            .Where(g => g.Select(p => p.Value).Distinct().Count() > 1 || g.Count() < data.Report.Runs.Count).Select(g => g.Key)];
        if (_grid is not null) await _grid.ReloadServerData();
    }

    private Task<GridData<RunRow>> LoadPage(GridState<RunRow> state, CancellationToken cancel)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        var (page, total) = RunGridQuery.Apply(_data?.Rows ?? [], _search, _state, SortKey(sort?.SortBy), sort?.Descending ?? false, state.Page, state.PageSize);
        _pageReports = [.. page.Select(r => r.Report).OfType<RunReport>()];
        StateHasChanged();
        return Task.FromResult(new GridData<RunRow> { Items = page, TotalItems = total });
    }

    /// <summary>The grid names a sorted column by its title.</summary>
    private static string? SortKey(string? column) => column switch
    {
        "state" => "state",
        "step" => "step",
        "method" => "method",
        "severity" => "severity",
        "target gain" => "gain",
        "forgetting" => "forgetting",
        "frontier" => "frontier",
        _ => null,
    };

    private async Task Search(string? text)
    {
        _search = text;
        if (_grid is not null) await _grid.ReloadServerData();
    }

    private async Task FilterState(RunState? state)
    {
        _state = state;
        if (_grid is not null) await _grid.ReloadServerData();
    }

    private string RunLink(string runId) => DashboardRoutes.Run(ExperimentId, runId);

    private static string Points(double? value) => value is { } v ? v.ToString("+0.0;-0.0;0.0") + " pts" : "";

    private static string Drop(double? value) => value is { } v ? v.ToString("0.0") + " pts" : "";

    /// <summary>The hyperparameters that tell this run apart from the others of its grid (the rest are the same for all).</summary>
    private string Recipe(RunRow row) =>
        row.Report is null ? "" : string.Join(", ", row.Report.Hyperparameters.Where(p => _varying.Contains(p.Key)).Select(p => $"{p.Key}={p.Value}"));
}
