using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Reports;
using ForgetLab.Dashboard.Components;
using ForgetLab.Dashboard.Data;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace ForgetLab.Dashboard.Pages.Experiments;

/// <summary>
/// One experiment: its runs in a server-paged grid, the heatmap of the grid's page, the frontier of
/// every ended run, the baseline and the report's export. One data call per refresh; refreshes
/// every few seconds until every run has ended. Another tenant's experiment is the 404 page.
/// The first screen (the grid's first page and its heatmap included) is in the prerendered HTML,
/// so a browser shows it before the circuit starts; the circuit then takes the prerender's data
/// over (<see cref="PrerenderHandoff"/>) instead of loading it again.
/// </summary>
public partial class ExperimentPage : LivePage
{
    private const string HandoffKey = "experiment-page-handoff";

    private ExperimentData? _data;
    private MudDataGrid<RunRow>? _grid;
    private IReadOnlyList<RunRow> _prerenderRows = [];
    private IReadOnlyList<RunReport> _pageReports = [];
    private IReadOnlyList<string> _suites = [];
    private string? _search;
    private RunState? _state;
    private HashSet<string> _varying = [];
    private string? _handoffToken;
    private PersistingComponentStateSubscription _persisting;

    [Parameter] public string ExperimentId { get; set; } = "";

    [Inject] private PrerenderHandoff Handoff { get; set; } = default!;

    [Inject] private PersistentComponentState PageState { get; set; } = default!;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(4);

    protected override bool KeepRefreshing => _data is not null && _data.Rows.Any(r => !RunStates.HasEnded(r.Summary.State));

    /// <summary>
    /// The grid pages itself through <see cref="LoadPage"/> once interactive; a prerender has no after-render for it to
    /// ask in, so it gets every row and renders its first page (with the right total) from them.
    /// </summary>
    private Func<GridState<RunRow>, CancellationToken, Task<GridData<RunRow>>>? ServerPages => RendererInfo.IsInteractive ? LoadPage : null;

    private IEnumerable<RunRow>? PrerenderedRows => RendererInfo.IsInteractive ? null : _prerenderRows;

    protected override void OnInitialized()
    {
        _persisting = PageState.RegisterOnPersisting(() =>
        {
            if (_handoffToken is not null) PageState.PersistAsJson(HandoffKey, _handoffToken);
            return Task.CompletedTask;
        }, RenderMode.InteractiveServer);
        if (RendererInfo.IsInteractive && PageState.TryTakeFromJson<string>(HandoffKey, out var token)) _handoffToken = token;
    }

    protected override async Task Load()
    {
        var user = await User();
        ExperimentData? data;
        if (RendererInfo.IsInteractive)
        {
            // The circuit's first load takes what the prerender loaded a moment ago; later refreshes load afresh.
            data = Handoff.Take<ExperimentData>(_handoffToken, user) is { } handed && handed.Experiment.ExperimentId == ExperimentId
                ? handed
                : await Data.Experiment(user, ExperimentId, Stopping);
            _handoffToken = null;
        }
        else
        {
            data = await Data.Experiment(user, ExperimentId, Stopping);
            _handoffToken = data is null ? null : Handoff.Give(user, data);
        }

        if (data is null)
        {
            Navigation.NotFound();
            return;
        }

        _data = data;
        _suites = [.. data.Report.Base.Suites.Select(s => s.Suite)];
        _varying = [.. data.Report.Runs.SelectMany(r => r.Hyperparameters).GroupBy(p => p.Key)
            .Where(g => g.Select(p => p.Value).Distinct().Count() > 1 || g.Count() < data.Report.Runs.Count).Select(g => g.Key)];
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
            return;
        }

        // Before the grid has asked for a page (the prerender; the circuit's first render): its first page, unfiltered,
        // in the grid's default order, so the heatmap is drawn in the same render as the rest of the page.
        var ordered = RunGridQuery.Apply(data.Rows, null, null, null, false, 0, int.MaxValue).Page;
        _prerenderRows = ordered;
        _pageReports = [.. ordered.Take(PageSize).Select(r => r.Report).OfType<RunReport>()];
    }

    private const int PageSize = 25;

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

    public override async ValueTask DisposeAsync()
    {
        _persisting.Dispose();
        await base.DisposeAsync();
    }
}
