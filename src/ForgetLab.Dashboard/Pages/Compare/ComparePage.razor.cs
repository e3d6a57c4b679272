using ForgetLab.Core.Reports;
using ForgetLab.Dashboard.Components;
using ForgetLab.Dashboard.Data;
using Microsoft.AspNetCore.Components;

namespace ForgetLab.Dashboard.Pages.Compare;

/// <summary>Runs side by side with paired CIs, as <c>GET /api/v1/compare</c> computes them; <c>?runs=a,b</c> preselects and compares.</summary>
public partial class ComparePage : DashboardPage
{
    private IReadOnlyList<ComparableRun> _runs = [];
    private IReadOnlyCollection<string> _picked = [];
    private ComparisonView? _comparison;
    private string? _error;

    [SupplyParameterFromQuery(Name = "runs")] private string? Runs { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _runs = await Data.ComparableRuns(await User(), CancellationToken.None);
        if (!string.IsNullOrWhiteSpace(Runs))
        {
            _picked = [.. Runs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            await Compare();
        }
    }

    private async Task Compare()
    {
        var outcome = await Data.Compare(await User(), [.. _picked], CancellationToken.None);
        (_comparison, _error) = (outcome.Value, outcome.Error);
    }
}
