namespace ForgetLab.Cli.Tests;

/// <summary><c>lab eval</c> refuses before anything runs: a folder that is no model, or a spec that trains, exits 2 with the reason and writes nothing.</summary>
public class LabEvalCommandTests
{
    private const string Spec = """
        name: eval-only
        base:
          world: builtin
          model: { n_layer: 1, n_head: 1, n_embd: 8, n_ctx: 16 }
          pretrain: { steps: 1, warmup_steps: 0 }
        target: { task: conflicting_facts, count: 4 }
        suites: [target]
        evaluate:
          - { name: empty, path: empty-folder }
        """;

    [Fact]
    public void AFolderThatIsNeitherAModelNorAnAdapterExitsWithCode2BeforeTheBaseIsPretrained()
    {
        var dir = CliProcess.TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir, "empty-folder"));
        File.WriteAllText(Path.Combine(dir, "spec.yaml"), Spec);

        var result = CliProcess.Run(dir, "lab", "eval", "spec.yaml", "--out", "out");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"evaluate[0] (empty): {Path.Combine(dir, "empty-folder")}: neither config.json", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")), "nothing may be written");
        Assert.False(Directory.Exists(Path.Combine(dir, "cache")), "the base's config is known without pre-training it, so nothing is pre-trained");
    }

    [Fact]
    public void LabRunAndLabEvalEachSendTheOtherKindOfSpecToTheOtherCommand()
    {
        var dir = CliProcess.TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir, "empty-folder"));
        File.WriteAllText(Path.Combine(dir, "spec.yaml"), Spec);
        File.WriteAllText(Path.Combine(dir, "grid.yaml"), Spec[..Spec.IndexOf("evaluate:", StringComparison.Ordinal)].Replace("eval-only", "grid"));

        var run = CliProcess.Run(dir, "lab", "run", "spec.yaml", "--out", "out");
        var eval = CliProcess.Run(dir, "lab", "eval", "grid.yaml", "--out", "out");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("trains nothing; run it with `forgetlab lab eval`", run.Stderr);
        Assert.Equal(2, eval.ExitCode);
        Assert.Contains("has no evaluate list; `forgetlab lab run` trains its grid", eval.Stderr);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }
}
