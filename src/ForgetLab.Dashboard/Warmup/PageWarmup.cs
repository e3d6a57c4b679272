using System.Security.Claims;
using ForgetLab.Dashboard.Components;
using ForgetLab.Dashboard.Data;
using ForgetLab.Dashboard.Layout;
using ForgetLab.Dashboard.Pages.Experiments;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Infrastructure;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using MudBlazor.Services;

namespace ForgetLab.Dashboard.Warmup;

/// <summary>
/// Renders the experiment page, in its layout, from <see cref="WarmupExperiment"/> to HTML, as the server's prerender
/// does, so the code a first view runs (the page, MudBlazor's grid, the heatmap, the frontier, the report types' JSON)
/// is compiled before the server says it is ready. The page gets services of its own here: the made-up experiment as its
/// only data, a signed-in "warmup" user, no JavaScript and no antiforgery token. Nothing of the host's is read or changed.
/// </summary>
public static class PageWarmup
{
    /// <summary>The page's HTML (the caller only needs it rendered; tests read it).</summary>
    public static async Task<string> RenderExperimentPage(ExperimentData data, ILoggerFactory loggers)
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, WarmupExperiment.TenantId)], "warmup"));
        var services = new ServiceCollection();
        services.AddSingleton(loggers);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddMudServices();
        services.AddAuthorizationCore();
        services.AddSingleton<AuthenticationStateProvider>(new WarmupAuthentication(user));
        services.AddSingleton<IDashboardData>(new WarmupDashboardData(data));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PrerenderHandoff>();
        services.AddScoped<NavigationManager>(_ => new WarmupNavigation(DashboardRoutes.Experiment(data.Experiment.ExperimentId)));
        services.AddScoped<IJSRuntime, NoJavaScript>();
        services.AddScoped<AntiforgeryStateProvider, NoAntiforgeryToken>();
        services.AddScoped<ComponentStatePersistenceManager>();
        services.AddScoped(sp => sp.GetRequiredService<ComponentStatePersistenceManager>().State);

        await using var provider = services.BuildServiceProvider();
        await using var renderer = new HtmlRenderer(provider, loggers);
        RenderFragment page = b =>
        {
            b.OpenComponent<ExperimentPage>(0);
            b.AddComponentParameter(1, nameof(ExperimentPage.ExperimentId), data.Experiment.ExperimentId);
            b.CloseComponent();
        };
        RenderFragment inLayout = b =>
        {
            b.OpenComponent<LayoutView>(0);
            b.AddComponentParameter(1, nameof(LayoutView.Layout), typeof(MainLayout));
            b.AddComponentParameter(2, nameof(LayoutView.ChildContent), page);
            b.CloseComponent();
        };
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<CascadingAuthenticationState>(
                ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(CascadingAuthenticationState.ChildContent)] = inLayout }));
            await output.QuiescenceTask;
            return output.ToHtmlString();
        });
    }
}
