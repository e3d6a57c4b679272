using ForgetLab.Dashboard.Components;
using ForgetLab.Dashboard.Data;
using Microsoft.AspNetCore.Components;

namespace ForgetLab.Dashboard.Pages.Overview;

/// <summary>The tenant's experiments, its runs in flight with progress, and its usage against quota; live while runs are in flight.</summary>
public partial class OverviewPage : LivePage
{
    private OverviewData? _data;
    private System.Security.Claims.ClaimsPrincipal? _user;

    protected override bool KeepRefreshing => true;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(3);

    protected override async Task Load()
    {
        _user = await User();
        _data = await Data.Overview(_user, Stopping);
    }

    private static double Percent(double value, double of) => of <= 0 ? 0 : Math.Clamp(100 * value / of, 0, 100);
}
