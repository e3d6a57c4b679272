using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ForgetLab.Server.Tests;
using Microsoft.Playwright;

namespace ForgetLab.Dashboard.EndToEnd.Tests;

/// <summary>
/// A tenant signs in, submits the quickstart from the Submit page (shrunk so it trains in about a
/// minute on the small world), watches it finish without reloading, sees the heatmap and the
/// frontier (in the server's HTML, before the circuit starts, and filtered through the circuit after) and a run's
/// drill-down; a second tenant opening the same experiment gets the 404 page.
/// Screenshots of each step are saved under screenshots/ in the test output and attached.
/// </summary>
public sealed class DashboardEndToEndTests
{
    private const string AdminKey = "e2e-admin-key-0123456789";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ATenantFollowsTheQuickstartFromSubmissionToItsReportAndAnotherTenantGetsTheNotFoundPage()
    {
        await using var azurite = await Azurite.StartAsync();
        var cluster = $"e2e-{Guid.NewGuid():N}"[..16];
        await using var server = await ServerProcess.StartAsync(azurite.ConnectionString, cluster, AdminKey);
        await using var worker = await WorkerProcess.StartAsync(azurite.ConnectionString, cluster, TestWorlds.Small(),
            Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w1");
        var owner = await NewTenant(server, "alpha");
        var other = await NewTenant(server, "beta");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("FORGETLAB_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox"],
        });

        try
        {
            var page = await SignIn(browser, server, owner, "01-signin");
            Assert.Contains("alpha", await page.InnerTextAsync("#signed-in-as"));
            await Shot(page, "02-overview");

            await page.GotoAsync(new Uri(server.Address, "/submit").ToString());
            await page.WaitForSelectorAsync("#yaml-editor[data-interactive='true']");
            await page.WaitForSelectorAsync("#spec-valid");
            var shrunk = QuickstartShrunk(await page.InputValueAsync("textarea"));
            await page.FillAsync("textarea", shrunk);
            // The editor reports text after a pause in typing: submit only once the server holds the edited spec.
            await page.WaitForSelectorAsync($"#yaml-editor[data-length='{shrunk.Length}']");
            await page.WaitForSelectorAsync("#spec-valid");
            await Shot(page, "03-submit");
            await page.ClickAsync("#submit");
            await page.WaitForURLAsync(new Uri(server.Address, "/experiments/quickstart").ToString());

            // The page refreshes itself: no reload until both runs have ended and their points are drawn.
            await page.WaitForSelectorAsync("#runs-grid");
            await Shot(page, "04-experiment-running");
            await page.WaitForFunctionAsync("() => document.querySelectorAll('#frontier a circle').length === 2", null,
                new() { Timeout = (float)TimeSpan.FromMinutes(6).TotalMilliseconds, PollingInterval = 1000 });
            Assert.Equal(2 * 9, await page.Locator("#heatmap td[data-suite]").CountAsync());
            Assert.True(await page.Locator("#frontier circle[fill='#2e7d32']").CountAsync() >= 1);
            await Shot(page, "05-experiment-report");

            // The first screen is in the server's HTML, before any circuit: the grid's page, its heatmap and the frontier.
            var html = await (await page.APIRequest.GetAsync(new Uri(server.Address, "/experiments/quickstart").ToString())).TextAsync();
            Assert.Contains("data-interactive=\"false\"", html);
            Assert.Equal(2 * 9, Regex.Count(html, "<td [^>]*data-suite="));
            var gridBody = Regex.Match(html, "id=\"runs-grid\"[\\s\\S]*?<tbody[^>]*>([\\s\\S]*?)</tbody>").Groups[1].Value;
            Assert.Equal(2, Regex.Count(gridBody, "<tr[ >]"));
            // Loaded afresh, the circuit takes the page over and then filters the grid and its heatmap itself.
            await page.ReloadAsync();
            await page.WaitForSelectorAsync("#experiment-header[data-interactive='true']");
            Assert.Equal(2 * 9, await page.Locator("#heatmap td[data-suite]").CountAsync());
            await page.Locator("#runs-filter").Locator("xpath=descendant-or-self::input").First.FillAsync("lr1e-3");
            await page.WaitForFunctionAsync("() => document.querySelectorAll('#heatmap td[data-suite]').length === 9");
            Assert.Contains("lr1e-3", await page.InnerTextAsync("#heatmap tbody th a"));

            await page.Locator("#heatmap th a").First.ClickAsync();
            await page.WaitForSelectorAsync("#drill-down");
            Assert.Contains("Completed", await page.InnerTextAsync("#run-state"));
            // A suite on which the checkpoint lost items: each with what was asked, the base's answer and the checkpoint's.
            await page.Locator(".mud-tab").Filter(new() { HasTextRegex = new Regex(@"\([1-9][0-9]*↓") }).First.ClickAsync();
            await page.WaitForSelectorAsync("#item-changes");
            var changes = await page.InnerTextAsync("#item-changes");
            Assert.Contains("forgot:", changes);
            Assert.Contains("base answered", changes);
            Assert.Contains("this checkpoint answers", changes);
            await page.EvaluateAsync("() => window.scrollTo(0, 0)"); // the tab click scrolled; a full-page shot would draw the app bar mid-page
            await Shot(page, "06-run");

            var intruder = await SignIn(browser, server, other, null);
            var response = await intruder.GotoAsync(new Uri(server.Address, "/experiments/quickstart").ToString());
            Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
            await intruder.WaitForSelectorAsync("#not-found");
            await Shot(intruder, "07-other-tenant-not-found");
        }
        catch
        {
            TestContext.Current.SendDiagnosticMessage($"server:\n{server.Output}\nworker:\n{worker.Output}");
            throw;
        }
    }

    /// <summary>examples/quickstart.yaml as the editor shows it, made small: a tiny base, one learning rate, short training.</summary>
    private static string QuickstartShrunk(string yaml)
    {
        var shrunk = yaml
            .Replace("model: { n_layer: 4, n_head: 4, n_embd: 256, n_ctx: 128, dropout: 0.0 }", "model: { n_layer: 2, n_head: 2, n_embd: 64, n_ctx: 64, dropout: 0.0 }", StringComparison.Ordinal)
            .Replace("pretrain: { steps: 600,", "pretrain: { steps: 150,", StringComparison.Ordinal)
            .Replace("count: 40 ", "count: 8 ", StringComparison.Ordinal)
            .Replace("steps: 80", "steps: 20", StringComparison.Ordinal)
            .Replace("checkpoint_every: 40", "checkpoint_every: 10", StringComparison.Ordinal)
            .Replace("lr: [3.0e-5, 1.0e-4, 3.0e-4]", "lr: [1.0e-4, 1.0e-3]", StringComparison.Ordinal)
            .Replace("max_items: 200", "max_items: 30", StringComparison.Ordinal)
            .Replace("bootstrap_resamples: 10000", "bootstrap_resamples: 500", StringComparison.Ordinal);
        Assert.NotEqual(yaml, shrunk);
        Assert.Contains("name: quickstart", shrunk);
        return shrunk;
    }

    private static async Task<string> NewTenant(ServerProcess server, string name)
    {
        using var admin = server.Client(AdminKey);
        var configured = await admin.PutAsJsonAsync($"api/v1/tenants/{name}", new { displayName = name, weight = 1, maxConcurrentDevices = 1 }, Cancel);
        Assert.Equal(HttpStatusCode.OK, configured.StatusCode);
        var issued = await admin.PostAsJsonAsync($"api/v1/tenants/{name}/keys", new { label = "e2e", role = "Member" }, Cancel);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        return JsonNode.Parse(await issued.Content.ReadAsStringAsync(Cancel))!["secret"]!.GetValue<string>();
    }

    private static async Task<IPage> SignIn(IBrowser browser, ServerProcess server, string key, string? shot)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.Address.ToString());
        await page.WaitForSelectorAsync("#apiKey");
        await page.FillAsync("#apiKey", key);
        if (shot is not null) await Shot(page, shot);
        await page.ClickAsync("#sign-in");
        await page.WaitForSelectorAsync("#signed-in-as");
        return page;
    }

    /// <summary>Saves a full-page screenshot under screenshots/ in the test output and attaches it to the test result.</summary>
    private static async Task Shot(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var bytes = await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        TestContext.Current.AddAttachment(name + ".png", bytes, "image/png");
    }
}
