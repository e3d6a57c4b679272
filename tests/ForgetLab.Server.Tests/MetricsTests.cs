using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ForgetLab.Server.Dashboard;
using ForgetLab.Server.Observability;
using Microsoft.Extensions.Options;

namespace ForgetLab.Server.Tests;

/// <summary>
/// Metrics end to end: a real server and a real worker with its own metrics port, a real Prometheus
/// scraping both every second and evaluating infra/prometheus/rules.yml, and a small experiment
/// trained meanwhile. Then every PromQL expression the dashboards (Grafana's and the Pool page's charts) and the alerts ship is asked of
/// Prometheus: each must parse and return series — no empty panel, no alert on a series that never
/// exists.
/// </summary>
/// <remarks>
/// Runs alone, after the parallel tests: the server here is in-process, and OpenTelemetry shares one metric
/// stream between identically named instruments of every <c>Microsoft.Orleans</c> meter in the process. When
/// another test's in-process server stops, its Orleans meter is disposed, and OpenTelemetry deactivates the
/// shared stream in this server's provider too, so its Orleans series vanish from <c>/metrics</c> for good
/// (seen twice in fresh CI runs as `count(orleans_messaging_sent_messages_size_bytes_count) &gt;= 2` never
/// holding). A deployed server owns its process, so this is the test harness's, not the product's.
/// </remarks>
[Collection(typeof(MetricsTests.RunsAlone))]
public sealed partial class MetricsTests(PlatformFixture platform)
{
    /// <summary>Enough steps that training spans several scrapes (a step of the tiny model takes about a millisecond), so rates see it.</summary>
    private const int Steps = 2000;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The collection of this class only, run with nothing beside it (see the remarks above).</summary>
    [CollectionDefinition(DisableParallelization = true)]
    public sealed class RunsAlone;

    [Fact]
    public void AlertOperandsAreFoundOutsideParenthesesStringsAndModifiers()
    {
        var operands = PromQlOperands.Of(
            "(max by (tenant) (q{a=\"x > y\"}) > 0) and on (tenant) (held < quota) unless on () sum(rate(x[5m])) >= bool 1.5");
        Assert.Equal(["max by (tenant) (q{a=\"x > y\"})", "held", "quota", "sum(rate(x[5m]))"], operands);
        Assert.Equal(["up{job=\"w\"}"], PromQlOperands.Of("up{job=\"w\"} == 0"));
    }

    [Fact]
    public async Task EveryDashboardAndAlertExpressionReturnsSeriesAfterASmallRun()
    {
        if (PrometheusProcess.Binary() is null)
        {
            Assert.True(Environment.GetEnvironmentVariable("FORGETLAB_REQUIRE_PROMETHEUS") != "1", "prometheus is not installed, and .ci/run requires it");
            Assert.Skip("prometheus is not installed: apt-get install --no-install-recommends prometheus (.ci/run installs it)");
        }

        var cluster = $"metrics-{Guid.NewGuid():N}"[..20];
        await using var server = await ServerInstance.StartAsync(platform.Azurite.ConnectionString, cluster, PlatformFixture.AdminKey,
            "--ForgetLab:Metrics:SampleSeconds", "1");
        var workerMetricsPort = PrometheusProcess.FreePort();
        await using var worker = await WorkerProcess.StartAsync(platform.Azurite.ConnectionString, cluster, WorkerTests.SmallWorld(),
            Directory.CreateTempSubdirectory("forgetlab-cache-").FullName, $"{cluster}-w1",
            extraArgs: ["--metrics-port", workerMetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--ForgetLab:Worker:MetricsBind", "127.0.0.1"]);
        Assert.Contains($"WORKER_METRICS http://127.0.0.1:{workerMetricsPort}/metrics", worker.Output);

        var rules = RepoPaths.File("infra", "prometheus", "rules.yml");
        await using var prometheus = await PrometheusProcess.StartAsync(new Dictionary<string, string[]>
        {
            ["forgetlab-server"] = [server.Address.Authority],
            ["forgetlab-worker"] = [$"127.0.0.1:{workerMetricsPort}"],
        }, [rules]);
        var query = new PrometheusQueryClient(new HttpClient(), Options.Create(new PrometheusOptions { Url = prometheus.Address }));

        // A small run while Prometheus watches, so rates over the last minute see it.
        var (tenant, key) = await PlatformFixture.NewTenant(server, "metrics");
        using var client = server.Client(key);
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(WorkerTests.TinySpec("observed", steps: Steps, every: Steps / 2)).Json()).Status);
        // And a tiny reward fine-tuning run after it, for the reward and KL gauges.
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitYaml(TinySpecs.Rl("observed-rl")).Json()).Status);
        var run = await WorkerTests.WaitForRun(client, "observed", WorkerTests.RunName(Steps), r => WorkerTests.State(r) is "Completed" or "Failed",
            TimeSpan.FromMinutes(3), () => worker.Output);
        Assert.Equal("Completed", WorkerTests.State(run));
        var rlRun = (string)(await client.Get("api/v1/experiments/observed-rl/runs").Json()).Body!.AsArray().Single()!["runId"]!;
        Assert.Equal("Completed", WorkerTests.State(await WorkerTests.WaitForRun(client, "observed-rl", rlRun, r => WorkerTests.State(r) is "Completed" or "Failed",
            TimeSpan.FromMinutes(3), () => worker.Output)));

        // Both targets up and scraped after the run ended and the gauges were sampled with its report.
        await Eventually(async () =>
            (await query.Query("min(count_over_time(up[1m])) >= 5 and min(up) == 1", cancel: Cancel)).Count == 1 &&
            (await query.Query("forgetlab_experiment_worst_delta{experiment=\"observed\", category=\"knowledge\"}", cancel: Cancel)).Count == 1 &&
            (await query.Query("forgetlab_experiment_rl_reward{experiment=\"observed-rl\"}", cancel: Cancel)).Count == 2 &&
            (await query.Query("forgetlab_experiment_rl_kl{experiment=\"observed-rl\"} >= 0", cancel: Cancel)).Count == 2 &&
            (await query.Query($"forgetlab_runs{{tenant=\"{tenant}\", state=\"Completed\"}} == 2", cancel: Cancel)).Count == 1,
            TimeSpan.FromSeconds(60), "both targets scraped and the ended run's report sampled");
        await Task.Delay(TimeSpan.FromSeconds(3), Cancel);

        // What the run did arrived with real values.
        foreach (var (promql, what) in new[]
                 {
                     ("sum(forgetlab_train_tokens_total) > 0", "tokens trained"),
                     ("sum(forgetlab_eval_items_total) > 0", "items evaluated"),
                     ("sum(forgetlab_checkpoint_bytes_total{direction=\"written\"}) > 100000", "checkpoint bytes written"),
                     ("sum(forgetlab_pool_lease_grants_total) >= 1", "a lease granted"),
                     ("sum(forgetlab_worker_jobs_ended_total{outcome=\"completed\"}) == 2", "both jobs completed"),
                     // This tenant's only: the grains' meter is static, so other tests' servers in this process record into it too.
                     ($"sum(forgetlab_run_duration_seconds_count{{state=\"Completed\", tenant=\"{tenant}\"}}) == 2", "both runs' durations"),
                     ("count(orleans_messaging_sent_messages_size_bytes_count) >= 2", "Orleans metrics from the server and the worker"),
                     ("count(http_server_request_duration_seconds_count{http_route=\"/api/v1/experiments/\"}) >= 1", "API requests by route"),
                     ("count(target_info{service_name=~\"forgetlab-server|forgetlab-worker\"}) == 2", "the service names"),
                 })
            // Eventually: under a loaded machine the last scrape can trail the run's end by more than the pause above.
            await Eventually(async () => (await query.Query(promql, cancel: Cancel)).Count == 1, TimeSpan.FromSeconds(90), $"{what}: `{promql}` returned something");

        var problems = new List<string>();
        var expressions = DashboardExpressions().Concat(PoolCharts.All.Select(c => ($"Pool page chart '{c.Title}'", c.PromQl))).ToList();
        Assert.True(expressions.Count >= 20, $"only {expressions.Count} dashboard expressions found");
        foreach (var (where, expr) in expressions)
        {
            var series = await Ask(query, expr, where, problems);
            if (series is null) continue;
            if (series.Count == 0) problems.Add($"{where}: `{expr}` returned no series");
            else if (!series.SelectMany(s => s.Points).Any(p => double.IsFinite(p.Value))) problems.Add($"{where}: `{expr}` returned only NaN or infinite values");
        }

        // Every rule loaded and evaluated without error, and every operand of every alert has series.
        var alertsInFile = Regex.Matches(await File.ReadAllTextAsync(rules, Cancel), @"^\s*- alert:", RegexOptions.Multiline).Count;
        var loaded = await LoadedRules(prometheus, alertsInFile);
        Assert.Equal(alertsInFile, loaded.Count);
        foreach (var rule in loaded)
        {
            if (rule.Health != "ok") problems.Add($"rule {rule.Name}: health {rule.Health}: {rule.LastError}");
            if (await Ask(query, rule.Query, $"rule {rule.Name}", problems) is null) continue;
            foreach (var operand in PromQlOperands.Of(rule.Query))
                if (await Ask(query, operand, $"rule {rule.Name}", problems) is { Count: 0 })
                    problems.Add($"rule {rule.Name}: operand `{operand}` returned no series");
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));

        // The Pool page reads the same charts through IPoolMetrics: every one with a line of real values over the last 15 minutes.
        var pool = new PrometheusPoolMetrics(query);
        Assert.Equal(prometheus.Address, pool.Source);
        var charts = await pool.Charts(TimeSpan.FromMinutes(15), Cancel);
        Assert.Equal(PoolCharts.All.Select(c => c.Title), charts.Select(c => c.Title));
        foreach (var chart in charts)
        {
            Assert.True(chart.Error is null, $"Pool page chart '{chart.Title}': {chart.Error}");
            Assert.True(chart.Lines.Count > 0, $"Pool page chart '{chart.Title}' has no lines");
            // Prometheus has watched for well under a minute and the step is 15 s: one real point is all a chart can be asked for.
            Assert.True(chart.Lines.SelectMany(l => l.Points).Any(p => double.IsFinite(p.Value)),
                $"Pool page chart '{chart.Title}' has no real value: {string.Join("; ", chart.Lines.Select(l => $"{l.Legend}: {l.Points.Count}"))}");
        }
        Assert.Contains(charts.Single(c => c.Title == "Devices busy and free").Lines, l => l.Legend == "state=free");
    }

    [Fact]
    public async Task PoolChartsAreOffWithoutPrometheus()
    {
        var pool = new PrometheusPoolMetrics(new PrometheusQueryClient(new HttpClient(), Options.Create(new PrometheusOptions())));

        Assert.Null(pool.Source);
        Assert.Empty(await pool.Charts(TimeSpan.FromHours(1), Cancel));
    }

    [Fact]
    public async Task EachPoolChartNamesItsQueryWhenPrometheusCannotBeReached()
    {
        // A port nothing listens on: every query fails, and each chart says which query and why.
        var nobody = new Uri($"http://127.0.0.1:{PrometheusProcess.FreePort()}/");
        var pool = new PrometheusPoolMetrics(new PrometheusQueryClient(new HttpClient(), Options.Create(new PrometheusOptions { Url = nobody, TimeoutSeconds = 2 })));

        var charts = await pool.Charts(TimeSpan.FromMinutes(15), Cancel);

        Assert.Equal(PoolCharts.All.Count, charts.Count);
        Assert.All(charts, c =>
        {
            Assert.Empty(c.Lines);
            Assert.Contains(c.Query, c.Error);
            Assert.Contains(nobody.Authority, c.Error);
        });
    }

    /// <summary>Every target expression of dashboards/*.json with Grafana's variables filled in, and each template variable's metric.</summary>
    private static IEnumerable<(string Where, string Expr)> DashboardExpressions()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.File("dashboards"), "*.json").Order(StringComparer.Ordinal))
        {
            var dashboard = JsonNode.Parse(File.ReadAllText(file))!;
            var name = Path.GetFileName(file);
            foreach (var panel in dashboard["panels"]!.AsArray())
                foreach (var target in panel!["targets"]?.AsArray() ?? [])
                    yield return ($"{name} panel '{(string)panel["title"]!}' ({(string)target!["refId"]!})", Fill((string)target["expr"]!));
            foreach (var variable in dashboard["templating"]?["list"]?.AsArray() ?? [])
                if (LabelValues().Match((string)variable!["definition"]!) is { Success: true } m)
                    yield return ($"{name} variable '{(string)variable["name"]!}'", $"count by ({m.Groups[2].Value}) ({m.Groups[1].Value})");
        }
    }

    private static string Fill(string expr)
    {
        var filled = expr.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$tenant", ".*", StringComparison.Ordinal);
        Assert.DoesNotContain("$", filled);
        return filled;
    }

    private static async Task<IReadOnlyList<PrometheusSeries>?> Ask(PrometheusQueryClient query, string expr, string where, List<string> problems)
    {
        try
        {
            return await query.Query(expr, cancel: Cancel);
        }
        catch (PrometheusQueryException e)
        {
            problems.Add($"{where}: {e.Message}");
            return null;
        }
    }

    private sealed record LoadedRule(string Name, string Query, string Health, string? LastError);

    /// <summary>The alerting rules Prometheus loaded, once each has been evaluated at least once.</summary>
    private static async Task<List<LoadedRule>> LoadedRules(PrometheusProcess prometheus, int expected)
    {
        using var http = new HttpClient();
        var rules = new List<LoadedRule>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var body = JsonNode.Parse(await http.GetStringAsync(new Uri(prometheus.Address, "api/v1/rules?type=alert"), Cancel))!;
            rules = body["data"]!["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray())
                .Select(r => new LoadedRule((string)r!["name"]!, (string)r["query"]!, (string)r["health"]!, (string?)r["lastError"]))
                .ToList();
            if (rules.Count == expected && rules.All(r => r.Health != "unknown")) return rules;
            await Task.Delay(500, Cancel);
        }
        return rules;
    }

    private static async Task Eventually(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition()) return;
            }
            catch (PrometheusQueryException)
            {
            }
            await Task.Delay(500, Cancel);
        }
        Assert.Fail($"timed out after {timeout} waiting for {what}");
    }

    [GeneratedRegex(@"^label_values\((\w+),\s*(\w+)\)$")]
    private static partial Regex LabelValues();
}
