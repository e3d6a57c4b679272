using Bunit.TestDoubles;
using ForgetLab.Dashboard.Components;
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
        Services.AddSingleton(new PrerenderHandoff(TimeProvider.System));
        PageState = AddBunitPersistentComponentState();
        AddAuthorization().SetAuthorized("demo-member");
        // Static: pages load once and start no refresh timer, so tests see exactly one load.
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", isInteractive: false));
    }

    protected FakeDashboardData Data { get; } = new();

    protected FakePoolMetrics PoolMetrics { get; } = new();

    /// <summary>What a prerender persists for the circuit that follows it (<c>TriggerOnPersisting</c> plays the prerender's end).</summary>
    protected BunitPersistentComponentState PageState { get; }
}
