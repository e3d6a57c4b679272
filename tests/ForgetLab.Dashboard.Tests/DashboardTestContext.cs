using ForgetLab.Dashboard.Data;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ForgetLab.Dashboard.Tests;

/// <summary>A bUnit context with MudBlazor's services, a signed-in member of "demo" and the fake data.</summary>
public abstract class DashboardTestContext : BunitContext
{
    protected DashboardTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<IDashboardData>(Data);
        Services.AddSingleton<IPoolMetrics>(PoolMetrics);
        AddAuthorization().SetAuthorized("demo-member");
        // Static: pages load once and start no refresh timer, so tests see exactly one load.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", isInteractive: false));
    }

    protected FakeDashboardData Data { get; } = new();

    protected FakePoolMetrics PoolMetrics { get; } = new();
}
