using ForgetLab.Dashboard.Layout;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using ForgetLab.Dashboard.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;

namespace ForgetLab.Dashboard;

/// <summary>The dashboard's pages and services; the host adds authentication and an <see cref="Data.IDashboardData"/>.</summary>
public static class DashboardUi
{
    public static IServiceCollection AddForgetLabDashboardUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddMudServices();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PrerenderHandoff>();
        return services;
    }

    public static IEndpointRouteBuilder MapForgetLabDashboardUi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return endpoints;
    }
}
