using ForgetLab.Core.Reports;
using ForgetLab.Dashboard.Components;
using ForgetLab.Dashboard.Data;
using Microsoft.AspNetCore.Components;

namespace ForgetLab.Dashboard.Pages.Board;

/// <summary>The cross-tenant board, as <c>GET /api/v1/board</c> builds it; the user's own runs link to their pages.</summary>
public partial class BoardPage : DashboardPage
{
    private BoardView? _board;
    private string? _tenant;

    protected override async Task OnInitializedAsync()
    {
        var user = await User();
        _tenant = Data.CallerOf(user).TenantId;
        _board = await Data.Board(user, CancellationToken.None);
    }
}
