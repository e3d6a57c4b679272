using System.Security.Claims;
using ForgetLab.Dashboard.Data;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace ForgetLab.Dashboard.Components;

/// <summary>What every page uses: the dashboard's data, navigation, and the signed-in user to read it as.</summary>
public abstract class DashboardPage : ComponentBase
{
    [Inject] protected IDashboardData Data { get; set; } = default!;

    [Inject] protected NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = default!;

    protected async Task<ClaimsPrincipal> User() => (await Authentication).User;
}
