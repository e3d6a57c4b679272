using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using ForgetLab.Core.Reports;
using ForgetLab.Dashboard.EndToEnd.Tests;
using ForgetLab.Dashboard.Tests;
using ForgetLab.Server.Tests;
using Microsoft.Playwright;

namespace ForgetLab.Bench.Dashboard;

/// <summary>
/// The experiment page's first screen in a real browser against a real server: Azurite, a server
/// process, an experiment of 500 runs x 10 suites whose run reports are in Blob storage as workers
/// upload them, and headless Chromium timing navigation until the grid's first page, its heatmap
/// (25 x 10 cells) and all 500 frontier points are on screen, and until the page is interactive as well.
/// </summary>
internal static class BrowserFirstScreen
{
    private const string AdminKey = "bench-admin-key-0123456789";
    private const int Warmup = 2, Rounds = 10, ColdStarts = 3;

    /// <param name="serverArgs">More configuration for every server started, as command-line pairs.</param>
    public static async Task Run(string[] serverArgs)
    {
        await using var azurite = await Azurite.StartAsync();
        // The metrics sampler's first sample runs before the reports below exist; later ones would write the ended runs' summary
        // on their own, and the first view is to be timed without it.
        string[] quietSampler = ["--ForgetLab:Metrics:SampleSeconds", "3600", .. serverArgs];
        Console.WriteLine($"server: {Environment.GetEnvironmentVariable("FORGETLAB_SERVER_DIR") ?? "this build's output"}; configuration: {string.Join(' ', serverArgs)}");
        var server = await ServerProcess.StartAsync(azurite.ConnectionString, "bench-dashboard", AdminKey, quietSampler);
        try
        {
            var key = await NewTenant(server, "bench");
            using (var api = server.Client(key))
                await SubmitEndedExperiment(api, azurite.ConnectionString);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = Environment.GetEnvironmentVariable("FORGETLAB_CHROMIUM") ?? "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox"],
            });

            double warmRuns, warmReport, warmHtml;
            var page = await SignIn(browser, server, key);
            var first = await FirstScreen(page, server);
            var times = new List<double>();
            var interactiveTimes = new List<double>();
            for (var round = 0; round < Warmup + Rounds; round++)
            {
                var (shown, interactive) = await FirstScreen(page, server);
                if (round < Warmup) continue;
                times.Add(shown);
                interactiveTimes.Add(interactive);
            }
            times.Sort();
            interactiveTimes.Sort();

            // Where a warm view goes: the same data call the page makes, through the API (run list; run list + report).
            using (var api = server.Client(key))
            {
                warmRuns = await Median(() => api.GetAsync("api/v1/experiments/big/runs"));
                warmReport = await Median(() => api.GetAsync("api/v1/experiments/big/report"));
            }

            // The page's server-rendered HTML alone (the signed-in browser's cookie, no parsing, no circuit): the server's share of a view.
            warmHtml = await Median(async () =>
            {
                var answer = await page.APIRequest.GetAsync(new Uri(server.Address, "/experiments/big").ToString());
                return new HttpResponseMessage((System.Net.HttpStatusCode)answer.Status) { Content = new ByteArrayContent(await answer.BodyAsync()) };
            });

            // A server start: nothing in memory, so the first view reads the ended runs' summary that the first view above wrote.
            // Three starts, since one cold view is one sample of a noisy machine.
            // The server's start (process start until it answers) is timed too: a start-up warm-up makes it longer.
            var afterRestarts = new List<(double Shown, double Interactive)>();
            var startTimes = new List<double>();
            for (var start = 0; start < ColdStarts; start++)
            {
                await server.DisposeAsync();
                var startClock = Stopwatch.StartNew();
                server = await ServerProcess.StartAsync(azurite.ConnectionString, "bench-dashboard", AdminKey, quietSampler);
                startTimes.Add(startClock.Elapsed.TotalMilliseconds);
                afterRestarts.Add(await FirstScreen(await SignIn(browser, server, key), server));
            }
            var afterRestart = afterRestarts.Select(t => t.Shown).Order().ElementAt(afterRestarts.Count / 2);

            // Where a restarted server's first view goes: the same again, after the runs API and then the report API answered once.
            await server.DisposeAsync();
            server = await ServerProcess.StartAsync(azurite.ConnectionString, "bench-dashboard", AdminKey, quietSampler);
            var grainsClock = Stopwatch.StartNew();
            using (var api = server.Client(key))
                (await api.GetAsync("api/v1/experiments/big/runs")).EnsureSuccessStatusCode();
            grainsClock.Stop();
            var reportClock = Stopwatch.StartNew();
            using (var api = server.Client(key))
                (await api.GetAsync("api/v1/experiments/big/report")).EnsureSuccessStatusCode();
            reportClock.Stop();
            var afterRestartGrainsActive = await FirstScreen(await SignIn(browser, server, key), server);

            // The server's share of a cold view: after another start and the sign-in, the page's HTML alone, then the first view.
            await server.DisposeAsync();
            server = await ServerProcess.StartAsync(azurite.ConnectionString, "bench-dashboard", AdminKey, quietSampler);
            var coldPage = await SignIn(browser, server, key);
            var coldHtmlClock = Stopwatch.StartNew();
            var coldHtml = await coldPage.APIRequest.GetAsync(new Uri(server.Address, "/experiments/big").ToString());
            await coldHtml.BodyAsync();
            coldHtmlClock.Stop();
            if (!coldHtml.Ok) throw new InvalidOperationException($"the page's HTML answered {coldHtml.Status}");
            var afterColdHtml = await FirstScreen(coldPage, server);

            Console.WriteLine($"first view, no summary yet: every run report read from Blob storage: {first.Shown:0} ms (interactive {first.Interactive:0} ms)");
            Console.WriteLine($"first view after a server start, the ended runs' summary read from Blob storage: median {afterRestart:0} ms over {ColdStarts} starts " +
                $"({string.Join(", ", afterRestarts.Select(t => $"{t.Shown:0}"))} ms; interactive {string.Join(", ", afterRestarts.Select(t => $"{t.Interactive:0}"))} ms)");
            Console.WriteLine($"  after another start, the runs API's first answer (the experiment's grain; a run's grain only while the run has not ended): {grainsClock.Elapsed.TotalMilliseconds:0} ms; " +
                $"then the report API's first answer (the summary read, the report assembled): {reportClock.Elapsed.TotalMilliseconds:0} ms; " +
                $"the first view after both: {afterRestartGrainsActive.Shown:0} ms (interactive {afterRestartGrainsActive.Interactive:0} ms)");
            Console.WriteLine($"  server start until it answers: {string.Join(", ", startTimes.Select(t => $"{t:0}"))} ms; " +
                $"after another start and the sign-in, the page's HTML alone: {coldHtmlClock.Elapsed.TotalMilliseconds:0} ms, then the first view: {afterColdHtml.Shown:0} ms");
            Console.WriteLine($"browser, experiment page of 500 runs x 10 suites, navigation to grid + heatmap + frontier on screen: " +
                $"median {times[times.Count / 2]:0} ms, worst {times[^1]:0} ms over {Rounds} loads; interactive median {interactiveTimes[interactiveTimes.Count / 2]:0} ms, worst {interactiveTimes[^1]:0} ms");
            Console.WriteLine($"  warm data calls through the API, median of {Rounds}: runs list {warmRuns:0} ms, report (runs list + report) {warmReport:0} ms; " +
                $"the page's server-rendered HTML alone: {warmHtml:0} ms");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>A 500-run grid whose run reports are in Blob storage as workers upload them, and whose runs have ended (cancelled here: no worker runs).</summary>
    private static async Task SubmitEndedExperiment(HttpClient api, string connectionString)
    {
        var spec = File.ReadAllText(RepoPaths.File("examples", "quickstart.yaml"))
            .Replace("name: quickstart", "name: big", StringComparison.Ordinal)
            .Replace("  - kl_to_base", "  - kl_to_base\n  - currencies_mc", StringComparison.Ordinal)
            .Replace("lr: [3.0e-5, 1.0e-4, 3.0e-4]", "lr: [" + string.Join(", ", Enumerable.Range(1, 20).Select(i => $"{i}.0e-5")) + "]\n  seed: [" + string.Join(", ", Enumerable.Range(1, 25)) + "]", StringComparison.Ordinal);
        var submitted = await api.PostAsync("api/v1/experiments", new StringContent(spec, Encoding.UTF8, "text/yaml"));
        if (!submitted.IsSuccessStatusCode) throw new InvalidOperationException(await submitted.Content.ReadAsStringAsync());
        var runIds = JsonNode.Parse(await api.GetStringAsync("api/v1/experiments/big/runs"))!.AsArray().Select(r => (string)r!["runId"]!).ToList();
        var suiteNames = SampleReports.Suites(10);

        // Run reports as workers upload them when runs end: {tenant}/{experiment}/{run}/run-report.json.
        var container = new BlobServiceClient(connectionString).GetBlobContainerClient("checkpoints");
        await container.CreateIfNotExistsAsync();
        await Parallel.ForEachAsync(runIds.Select((id, i) => (id, i)), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (run, token) =>
        {
            var report = SampleReports.Run(run.i, suiteNames) with { Name = run.id };
            await container.GetBlobClient($"bench/big/{run.id}/run-report.json")
                .UploadAsync(BinaryData.FromString(JsonSerializer.Serialize(report, ReportJson.Options)), overwrite: true, token);
        });
        (await api.PostAsync("api/v1/experiments/big/cancel", null)).EnsureSuccessStatusCode();
        Console.WriteLine($"experiment 'big': {runIds.Count} runs, {suiteNames.Count} suites, run reports in Blob storage, runs ended");
    }

    private static async Task<IPage> SignIn(IBrowser browser, ServerProcess server, string key)
    {
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        await page.GotoAsync(server.Address.ToString());
        await page.FillAsync("#apiKey", key);
        await page.ClickAsync("#sign-in");
        await page.WaitForSelectorAsync("#signed-in-as");
        return page;
    }

    /// <summary>
    /// Milliseconds from navigation until the grid's page (25 rows), its 250 heatmap cells and the 500 frontier points are
    /// on screen, and until the circuit has rendered that screen too (the page's <c>data-interactive</c> says "true"; a
    /// build without the marker drew its first screen only through the circuit, so there the two times are one).
    /// </summary>
    private static async Task<(double Shown, double Interactive)> FirstScreen(IPage page, ServerProcess server)
    {
        const string screen = "document.querySelectorAll('#runs-grid tbody tr.mud-table-row').length === 25 && " +
            "document.querySelectorAll('#heatmap td[data-suite]').length === 250 && document.querySelectorAll('#frontier a circle').length === 500";
        await page.GotoAsync("about:blank");
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(new Uri(server.Address, "/experiments/big").ToString(), new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForFunctionAsync($"() => {screen}", null, new() { PollingInterval = 10, Timeout = 120_000 });
        var shown = clock.Elapsed.TotalMilliseconds;
        await page.WaitForFunctionAsync(
            $"() => {{ const h = document.querySelector('#experiment-header'); return (!h || !h.hasAttribute('data-interactive') || h.dataset.interactive === 'true') && {screen}; }}",
            null, new() { PollingInterval = 10, Timeout = 120_000 });
        return (shown, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>Median milliseconds of <see cref="Rounds"/> answers to <paramref name="call"/>, after one unmeasured.</summary>
    private static async Task<double> Median(Func<Task<HttpResponseMessage>> call)
    {
        (await call()).EnsureSuccessStatusCode();
        var times = new List<double>();
        for (var i = 0; i < Rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            using var answer = await call();
            await answer.Content.ReadAsByteArrayAsync();
            answer.EnsureSuccessStatusCode();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    private static async Task<string> NewTenant(ServerProcess server, string name)
    {
        using var admin = server.Client(AdminKey);
        (await admin.PutAsJsonAsync($"api/v1/tenants/{name}", new { displayName = name, weight = 1, maxConcurrentDevices = 1 })).EnsureSuccessStatusCode();
        var issued = await admin.PostAsJsonAsync($"api/v1/tenants/{name}/keys", new { label = "bench", role = "Member" });
        issued.EnsureSuccessStatusCode();
        return JsonNode.Parse(await issued.Content.ReadAsStringAsync())!["secret"]!.GetValue<string>();
    }
}
