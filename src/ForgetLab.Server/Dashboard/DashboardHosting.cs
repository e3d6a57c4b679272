using ForgetLab.Core.Reports;
using ForgetLab.Dashboard;
using ForgetLab.Dashboard.Data;
using ForgetLab.Server.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace ForgetLab.Server.Dashboard;

/// <summary>
/// Hosts the browser dashboard (ForgetLab.Dashboard) in the silo: its pages, its data over the
/// grains, and cookie sign-in with a tenant API key. Requests to <c>/api</c> or carrying an
/// <c>Authorization</c> header keep the Bearer scheme (a 401, never a redirect); everything else
/// authenticates with the dashboard's cookie, so the API cannot be driven by a browser's cookie.
/// </summary>
public static class DashboardHosting
{
    public const string CookieScheme = "ForgetLab.Dashboard";
    private const string SelectorScheme = "ForgetLab.ApiOrDashboard";

    public static WebApplicationBuilder AddForgetLabDashboard(this WebApplicationBuilder builder)
    {
        // The build output's manifest serves MudBlazor's _content/ files in every environment, not only Development.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddForgetLabDashboardUi();
        builder.Services.AddSingleton<IDashboardData, GrainDashboardData>();
        // Scoped (one per circuit) like the typed HttpClient it reads Prometheus with.
        builder.Services.AddScoped<IPoolMetrics, PrometheusPoolMetrics>();
        // The experiment page rendered once at start from a made-up experiment, so the first view is not the JIT's.
        if (builder.Configuration.GetValue(FirstViewWarmup.Setting, true)) builder.Services.AddHostedService<FirstViewWarmup>();

        builder.Services.AddAuthentication()
            .AddCookie(CookieScheme, o =>
            {
                o.LoginPath = DashboardRoutes.SignIn;
                o.AccessDeniedPath = DashboardRoutes.SignIn;
                o.Cookie.Name = "forgetlab.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
            })
            .AddPolicyScheme(SelectorScheme, "API key or dashboard cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Path.StartsWithSegments("/api") || context.Request.Headers.Authorization.Count > 0
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : CookieScheme);
        builder.Services.PostConfigure<AuthenticationOptions>(o => o.DefaultScheme = SelectorScheme);
        return builder;
    }

    public static WebApplication MapForgetLabDashboard(this WebApplication app)
    {
        app.UseAntiforgery();
        // The server's own manifest by path: a host started from another assembly (the server tests) has none of its
        // own, and then pages render without their scripts and styles instead of the server failing to start.
        var manifest = Path.Combine(AppContext.BaseDirectory, $"{typeof(DashboardHosting).Assembly.GetName().Name}.staticwebassets.endpoints.json");
        if (File.Exists(manifest)) app.MapStaticAssets(manifest);
        app.MapPost(DashboardRoutes.SignIn, SignIn).ExcludeFromDescription();
        app.MapPost(DashboardRoutes.SignOut, (Delegate)SignOut).ExcludeFromDescription();
        app.MapGet("/experiments/{experimentId}/report.{format}", ExportReport).RequireAuthorization(CallerClaims.TenantPolicy).ExcludeFromDescription();
        app.MapForgetLabDashboardUi();
        return app;
    }

    /// <summary>The experiment's report as a download: report.json (the lab's contract) or report.csv (one row per run and suite).</summary>
    private static async Task<IResult> ExportReport(string experimentId, string format, HttpContext context, IDashboardData data, CancellationToken cancel)
    {
        if (format is not ("json" or "csv")) return Results.NotFound();
        var experiment = await data.Experiment(context.User, experimentId, cancel);
        if (experiment is null) return Results.NotFound();
        return format == "json"
            ? Results.File(System.Text.Encoding.UTF8.GetBytes(ReportJson.Serialize(experiment.Report)), "application/json", $"{experimentId}-report.json")
            : Results.File(System.Text.Encoding.UTF8.GetBytes(ReportCsv.Render(experiment.Report)), "text/csv", $"{experimentId}-report.csv");
    }

    /// <summary>
    /// The sign-in form's post (antiforgery-checked, as every form post): a valid key becomes the
    /// session cookie. Failures count against the address as on the API (<see cref="AuthFailureThrottle"/>).
    /// </summary>
    private static async Task<IResult> SignIn(
        [FromForm(Name = "apiKey")] string? apiKey, [FromForm(Name = "returnUrl")] string? returnUrl, HttpContext context, ApiKeyVerifier verifier,
        AuthFailureThrottle throttle)
    {
        using var attempt = throttle.Begin(context);
        if (attempt.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = Apis.RequestLimits.Seconds(retryAfter);
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests",
                detail: $"too many failed sign-ins from this address; retry after {Apis.RequestLimits.Seconds(retryAfter)} s");
        }

        var back = IsLocal(returnUrl) ? returnUrl! : "/";
        var caller = string.IsNullOrWhiteSpace(apiKey) ? null : await verifier.Verify(apiKey.Trim());
        if (caller is null)
        {
            attempt.Failed();
            return Results.LocalRedirect($"{DashboardRoutes.SignIn}?error=invalid&returnUrl={Uri.EscapeDataString(back)}");
        }

        await context.SignInAsync(CookieScheme, CallerClaims.ToPrincipal(caller, CookieScheme));
        return Results.LocalRedirect(back);
    }

    private static async Task<IResult> SignOut(HttpContext context)
    {
        await context.SignOutAsync(CookieScheme);
        return Results.LocalRedirect(DashboardRoutes.SignIn);
    }

    private static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
