namespace ForgetLab.Cli.Tests;

/// <summary>
/// Defence in depth for the host-paths finding: the worker runs a tenant's spec with
/// <c>lab job --platform-paths</c>, and the job applies the platform's rule itself, so a spec that got
/// past the server still cannot make it open a host file. The stand-alone lab keeps taking paths.
/// </summary>
public class JobPathTests
{
    private const string Spec = """
        name: job-paths
        base:
          world: builtin
          model: { n_layer: 1, n_head: 1, n_embd: 8, n_ctx: 16 }
          pretrain: { steps: 1 }
        target: { task: conflicting_facts, count: 4 }
        suites: [target, SUITE]
        train: { steps: 1, warmup_steps: 0 }
        grid:
          method:
            - { type: full }
        """;

    [Theory]
    [InlineData("/etc/passwd", "", "a suite file path is not accepted on the platform")]
    [InlineData("../../../../etc/passwd", "specdir", "must not contain '..'")]
    [InlineData("/etc/passwd", "specdir", "must be relative to the spec directory, not absolute")]
    public void HostPathsFinding_TheJobRefusesAHostPathEvenWhenTheServerLetItThrough(string suite, string specDir, string message)
    {
        var dir = CliProcess.TempDirectory();
        File.WriteAllText(Path.Combine(dir, "spec.yaml"), Spec.Replace("SUITE", $"'{suite}'"));
        string[] confined = specDir.Length > 0 ? ["--spec-dir", Directory.CreateDirectory(Path.Combine(dir, specDir)).FullName] : [];

        var result = CliProcess.Run(dir, ["lab", "job", "spec.yaml", "--run", "full-lr1e-4-steps1-seed0", "--out", "out", "--platform-paths", .. confined]);

        Assert.NotEqual(0, result.ExitCode);
        // The job could not run: its one "failed" event says why.
        var failed = (string)System.Text.Json.Nodes.JsonNode.Parse(result.Stdout.Split('\n').Single(l => l.Contains("\"event\":\"failed\"", StringComparison.Ordinal)))!["reason"]!;
        Assert.Contains("suites[1]", failed);
        Assert.Contains(message, failed);
        Assert.DoesNotContain("root:", failed);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")), "the job must stop before it trains");
    }
}
