using System.Net;
using System.Text.RegularExpressions;

namespace ForgetLab.Server.Tests;

/// <summary>
/// The dashboard as a browser meets it over HTTP: sign-in with a tenant key through the antiforgery-
/// checked form, the session cookie, tenant isolation (another tenant's experiment is the 404 page),
/// the report's export, and the API refusing the cookie.
/// </summary>
public sealed partial class DashboardTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignedOutVisitorsAreSentToSignIn()
    {
        using var browser = Browser();

        using var overview = await browser.Get("/");

        Assert.Equal(HttpStatusCode.Redirect, overview.StatusCode);
        Assert.StartsWith("/account/signin", overview.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task ATenantKeySignsInAndTheOverviewNamesTheTenant()
    {
        var (tenant, key) = await platform.NewTenant("dash");
        using var browser = Browser();

        using var signedIn = await SignIn(browser, key);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location!.OriginalString);
        var overview = await browser.GetStringAsync("/", Cancel);
        Assert.Contains($"{tenant} · Member", WebUtility.HtmlDecode(overview));
    }

    [Fact]
    public async Task AWrongKeyIsRefusedAndAFormWithoutItsAntiforgeryTokenIsRejected()
    {
        using var browser = Browser();

        using var wrong = await SignIn(browser, "flk_nobody_0123456789abcdef");
        Assert.Equal(HttpStatusCode.Redirect, wrong.StatusCode);
        Assert.Contains("error=invalid", wrong.Headers.Location!.OriginalString);

        var (_, key) = await platform.NewTenant("csrf");
        using var forged = await browser.Post("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["apiKey"] = key }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task AnotherTenantsExperimentIsNotFoundAndItsReportCannotBeExported()
    {
        var (_, ownerKey) = await platform.NewTenant("owner");
        using (var api = platform.Server.Client(ownerKey))
            Assert.Equal(HttpStatusCode.Created, (await api.SubmitYaml(Specs.Valid("private-exp"))).StatusCode);
        var (_, otherKey) = await platform.NewTenant("other");

        using var owner = Browser();
        await SignIn(owner, ownerKey);
        using var ownPage = await owner.Get("/experiments/private-exp");
        Assert.Equal(HttpStatusCode.OK, ownPage.StatusCode);
        using var csv = await owner.Get("/experiments/private-exp/report.csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.StartsWith("run,method,status", await csv.Content.ReadAsStringAsync(Cancel));

        using var other = Browser();
        await SignIn(other, otherKey);
        using var page = await other.Get("/experiments/private-exp");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("404", await page.Content.ReadAsStringAsync(Cancel));
        using var export = await other.Get("/experiments/private-exp/report.json");
        Assert.Equal(HttpStatusCode.NotFound, export.StatusCode);
    }

    [Fact]
    public async Task ThePlatformAdminSeesEveryTenantAndThePoolButATenantDoesNotSeeThePool()
    {
        var (tenant, key) = await platform.NewTenant("seen");
        using var admin = Browser();
        await SignIn(admin, PlatformFixture.AdminKey);

        var overview = await admin.GetStringAsync("/", Cancel);
        Assert.Contains("id=\"all-tenants\"", overview);
        Assert.Contains(tenant, overview);
        Assert.Contains("id=\"pool-workers\"", await admin.GetStringAsync("/pool", Cancel));

        using var member = Browser();
        await SignIn(member, key);
        var pool = await member.GetStringAsync("/pool", Cancel);
        Assert.DoesNotContain("id=\"pool-workers\"", pool);
        Assert.Contains("id=\"pool-admin-only\"", pool);
    }

    [Fact]
    public async Task TheApiDoesNotAcceptTheDashboardsCookie()
    {
        var (_, key) = await platform.NewTenant("cookie");
        using var browser = Browser();
        await SignIn(browser, key);

        using var api = await browser.Get("/api/v1/experiments");

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    /// <summary>A client that keeps cookies and shows redirects instead of following them, as a test needs.</summary>
    private HttpClient Browser() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = platform.Server.Address,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>Loads the sign-in form for its antiforgery token and posts the key with it, as the page does.</summary>
    private static async Task<HttpResponseMessage> SignIn(HttpClient browser, string key)
    {
        var form = await browser.GetStringAsync("/account/signin", Cancel);
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        Assert.NotEmpty(token);
        return await browser.Post("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["apiKey"] = key,
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = token,
        }));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
