namespace ForgetLab.Cli.Tests;

/// <summary>A bad spec is refused before anything runs: exit code 2, the error naming file, line and field, nothing written.</summary>
public class BadSpecTests
{
    private const string Valid = """
        name: bad
        base:
          world: builtin
          model: { n_layer: 1, n_head: 1, n_embd: 8, n_ctx: 16 }
          pretrain: { steps: 1 }
        target: { task: conflicting_facts, count: 4 }
        suites: [target]
        train: { steps: 1, warmup_steps: 0 }
        grid:
          method:
            - { type: full }
            - { type: lora, rank: 8 }
        """;

    [Theory]
    [InlineData("rank: 8", "rank: 0", "spec.yaml:12 grid.method[1].rank: must be between 1 and 1024")]
    [InlineData("task: conflicting_facts", "task: conflicting", "spec.yaml:6 target.task: unknown value 'conflicting'")]
    [InlineData("steps: 1, warmup_steps: 0", "steps: 1, warmup_stepz: 0", "spec.yaml:8 train.warmup_stepz: unknown field 'warmup_stepz'")]
    [InlineData("suites: [target]", "suites: [target, missing/suite.yaml]", "spec.yaml:7 suites[1]")]
    public void ABadSpecExitsWithCode2NamingTheFieldAndWritesNothing(string from, string to, string expected)
    {
        var dir = CliProcess.TempDirectory();
        File.WriteAllText(Path.Combine(dir, "spec.yaml"), Valid.Replace(from, to));
        var result = CliProcess.Run(dir, "lab", "run", "spec.yaml", "--out", "out");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr); // a message, not a stack trace
        Assert.False(Directory.Exists(Path.Combine(dir, "out")), "nothing may be written for an invalid spec");
        Assert.False(Directory.Exists(Path.Combine(dir, "cache")), "no base may be pre-trained for an invalid spec");
    }

    [Fact]
    public void ASpecNamingARegisteredModelIsForThePlatformAndTheLabSaysSoWithCode2()
    {
        var dir = CliProcess.TempDirectory();
        var start = Valid.IndexOf("base:", StringComparison.Ordinal);
        var end = Valid.IndexOf("target:", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dir, "spec.yaml"), Valid[..start] + "base:\n  model_ref: mine\n" + Valid[end..]);

        var result = CliProcess.Run(dir, "lab", "run", "spec.yaml", "--out", "out");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("base.model_ref 'mine' names a model of the platform's registry; submit the spec with `forgetlab submit`", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Theory]
    [InlineData("brackets", "lists and mappings nest deeper than the limit of 32 levels")]
    [InlineData("aliases", "more than the limit of 10000 values, lists and mappings")]
    public void Finding1AHostileSpecFileExitsWithCode2NamingTheLimitNotAStackOverflow(string kind, string expected)
    {
        var dir = CliProcess.TempDirectory();
        var text = kind == "brackets"
            ? "name: " + new string('[', 50_000) + new string(']', 50_000)
            : "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + string.Concat(Enumerable.Range(1, 6).Select(i => $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat(i == 1 ? "*a" : $"*a{i - 1}", 10))}]\n"));
        File.WriteAllText(Path.Combine(dir, "spec.yaml"), text);

        var result = CliProcess.Run(dir, "lab", "run", "spec.yaml", "--out", "out");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void BadFineTuningDataExitsWithCode2NamingFileLineAndFieldAndBuildsNoBase()
    {
        var dir = CliProcess.TempDirectory();
        File.WriteAllText(Path.Combine(dir, "data.jsonl"), "{\"prompt\": \"q : a ?\", \"completion\": \" b .\"}\n{\"prompt\": \"q : c ?\"}\n");
        File.WriteAllText(Path.Combine(dir, "spec.yaml"), Valid
            .Replace("target: { task: conflicting_facts, count: 4 }", "target: { data: data.jsonl, eval_split: 1 }")
            .Replace("pretrain: { steps: 1 }", "pretrain: { steps: 1, warmup_steps: 0 }"));

        var result = CliProcess.Run(dir, "lab", "run", "spec.yaml", "--out", "out");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("data.jsonl:2: completion: required field is missing", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")), "nothing may be written for bad data");
        Assert.False(Directory.Exists(Path.Combine(dir, "cache")), "no base may be pre-trained for bad data");
    }

    [Fact]
    public void AMissingSpecFileExitsWithCode2()
    {
        var dir = CliProcess.TempDirectory();
        var result = CliProcess.Run(dir, "lab", "run", "nowhere.yaml");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nowhere.yaml", result.Stderr);
    }
}
