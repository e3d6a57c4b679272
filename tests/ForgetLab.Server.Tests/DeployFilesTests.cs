using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ForgetLab.Server.Tests;

/// <summary>
/// The deployment files as their own tools read them: promtool checks the Prometheus configuration
/// and alert rules, docker compose (the v2 plugin, or Debian's docker-compose 1.29) renders
/// docker-compose.yml — no Docker engine needed — and the Grafana dashboards point at the
/// provisioned data source. <c>.ci/run</c> installs promtool and docker-compose when missing.
/// </summary>
public sealed class DeployFilesTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PromtoolAcceptsThePrometheusConfigurationAndRules()
    {
        var promtool = Tool("promtool");
        var config = await Run(promtool, ["check", "config", RepoPaths.File("infra", "prometheus", "prometheus.yml")]);
        Assert.True(config.ExitCode == 0, config.Output);
        Assert.Contains("1 rule files found", config.Output);

        var rules = await Run(promtool, ["check", "rules", RepoPaths.File("infra", "prometheus", "rules.yml")]);
        Assert.True(rules.ExitCode == 0, rules.Output);
        Assert.Contains("8 rules found", rules.Output);
    }

    [Fact]
    public async Task ThePreemptionLoopAlertFiresForTheTenantWhoseRunWasProtectedAndOnlyForAnHour()
    {
        // infra/prometheus/rules.test.yml feeds the rules the pool's protection counter; promtool fails on any alert not as expected.
        var test = await Run(Tool("promtool"), ["test", "rules", RepoPaths.File("infra", "prometheus", "rules.test.yml")]);
        Assert.True(test.ExitCode == 0, test.Output);
        Assert.Contains("SUCCESS", test.Output);
    }

    [Fact]
    public async Task DockerComposeRendersTheStackAndTheGpuProfile()
    {
        var (file, prefix) = await Compose();
        var environment = new Dictionary<string, string?> { ["FORGETLAB_ADMIN_KEY"] = "compose-config-check-key" };

        var config = await Run(file, [.. prefix, "config", "-q"], environment);
        Assert.True(config.ExitCode == 0, config.Output);

        var all = await Run(file, [.. prefix, "--profile", "gpu", "config", "--services"], environment);
        Assert.True(all.ExitCode == 0, all.Output);
        Assert.Equal(["azurite", "grafana", "prometheus", "server-1", "server-2", "worker-cpu", "worker-gpu"],
            all.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.Contains(' ')).Order(StringComparer.Ordinal));

        // No default for the platform admin's key: without one the stack does not render.
        var unset = await Run(file, [.. prefix, "config", "-q"], new Dictionary<string, string?> { ["FORGETLAB_ADMIN_KEY"] = null });
        Assert.NotEqual(0, unset.ExitCode);
        Assert.Contains("FORGETLAB_ADMIN_KEY", unset.Output);
    }

    [Fact]
    public void EveryDashboardIsUniqueAndReadsTheProvisionedPrometheus()
    {
        var provisioned = File.ReadAllText(RepoPaths.File("infra", "grafana", "provisioning", "datasources", "prometheus.yml"));
        Assert.Contains("uid: prometheus", provisioned);
        var dashboards = Directory.GetFiles(RepoPaths.File("dashboards"), "*.json").Select(f => (File: Path.GetFileName(f), Json: JsonNode.Parse(File.ReadAllText(f))!)).ToList();

        Assert.Equal(["forgetting-overview.json", "pool-and-queue.json", "tenants-and-usage.json", "training-and-evaluation.json"], dashboards.Select(d => d.File).Order(StringComparer.Ordinal));
        Assert.Equal(dashboards.Count, dashboards.Select(d => (string)d.Json["uid"]!).Distinct().Count());
        foreach (var (file, json) in dashboards)
        {
            var panels = json["panels"]!.AsArray();
            Assert.NotEmpty(panels);
            Assert.All(panels, p =>
            {
                Assert.Equal("prometheus", (string)p!["datasource"]!["uid"]!);
                Assert.NotEmpty(p["targets"]!.AsArray());
                Assert.False(string.IsNullOrWhiteSpace((string?)p["description"]), $"{file}: panel '{p["title"]}' says nothing about what it shows");
            });
        }
    }

    /// <summary>`docker compose` when the v2 plugin answers, else `docker-compose`; the test is skipped when neither exists.</summary>
    private static async Task<(string File, string[] Prefix)> Compose()
    {
        if (PrometheusProcess.Binary("docker") is { } docker && (await Run(docker, ["compose", "version"])).ExitCode == 0) return (docker, ["compose"]);
        if (PrometheusProcess.Binary("docker-compose") is { } v1) return (v1, []);
        Assert.True(Environment.GetEnvironmentVariable("FORGETLAB_REQUIRE_PROMETHEUS") != "1", "neither `docker compose` nor docker-compose is installed, and .ci/run requires one");
        Assert.Skip("neither `docker compose` nor docker-compose is installed (apt-get install --no-install-recommends docker-compose; .ci/run does it)");
        throw new UnreachableException();
    }

    private static string Tool(string name)
    {
        if (PrometheusProcess.Binary(name) is { } path) return path;
        Assert.True(Environment.GetEnvironmentVariable("FORGETLAB_REQUIRE_PROMETHEUS") != "1", $"{name} is not installed, and .ci/run requires it");
        Assert.Skip($"{name} is not installed (Debian's prometheus package has it; .ci/run installs it)");
        throw new UnreachableException();
    }

    private static async Task<(int ExitCode, string Output)> Run(string file, string[] args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>())
        {
            if (v is null) start.Environment.Remove(k);
            else start.Environment[k] = v;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(Cancel);
        var stderr = process.StandardError.ReadToEndAsync(Cancel);
        await process.WaitForExitAsync(Cancel);
        return (process.ExitCode, await stdout + await stderr);
    }
}
