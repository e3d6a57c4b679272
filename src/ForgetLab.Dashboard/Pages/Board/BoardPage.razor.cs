using ForgetLab.Core.Reports;
using ForgetLab.Dashboard.Data;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace ForgetLab.Dashboard.Pages.Board;

/// <summary>The cross-tenant board, as <c>GET /api/v1/board</c> builds it; the user's own runs link to their pages.</summary>
public partial class BoardPage : ComponentBase
{
    private BoardView? _board;
    private string? _tenant;

    [Inject] private IDashboardData Data { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var user = (await Authentication).User;
        _tenant = Data.CallerOf(user).TenantId;
        _board = await Data.Board(user, CancellationToken.None);
    }
}
