using ForgetLab.Contracts.Common;
using ForgetLab.Dashboard.Data;
using ForgetLab.Server.Security;
using Microsoft.Extensions.DependencyInjection;

namespace ForgetLab.Server.Tests;

/// <summary>
/// Issue 10, finding 1, on the dashboard: its Submit page goes through the server's
/// <see cref="IDashboardData"/>, which reads specs with the same limits as the API and checks the
/// role before reading the spec at all.
/// </summary>
public sealed class DashboardSubmitLimitTests(PlatformFixture platform)
{
    private static readonly string Brackets = "name: " + new string('[', 50_000) + new string(']', 50_000);

    private IDashboardData Data => platform.Server.Services.GetRequiredService<IDashboardData>();

    [Fact]
    public async Task Finding1TheSubmitPageRefusesADeepSpecNamingTheLimitAndStoresNothing()
    {
        var (tenant, key) = await platform.NewTenant("dashdeep");
        var member = CallerClaims.ToPrincipal(new Caller(tenant, TenantRole.Member, "key:test"), "test");

        var live = Data.Validate(Brackets);
        var submitted = await Data.Submit(member, Brackets, TestContext.Current.CancellationToken);

        Assert.Contains("nest deeper than the limit of 32 levels", Assert.Single(live).Message);
        Assert.False(submitted.Succeeded);
        Assert.Contains("nest deeper than the limit of 32 levels", Assert.Single(submitted.Errors).Message);
        using var api = platform.Server.Client(key);
        Assert.Empty((await api.Get("api/v1/experiments").Json()).Body!.AsArray());
    }

    [Fact]
    public async Task Finding1AViewersSubmissionOnTheDashboardIsRefusedBeforeItsSpecIsRead()
    {
        var (tenant, _) = await platform.NewTenant("dashviewer");
        var viewer = CallerClaims.ToPrincipal(new Caller(tenant, TenantRole.Viewer, "key:test"), "test");

        var submitted = await Data.Submit(viewer, Brackets, TestContext.Current.CancellationToken);

        Assert.False(submitted.Succeeded);
        Assert.Equal("this needs the member role", submitted.Error);
        Assert.Empty(submitted.Errors);
    }
}
