using System.Globalization;

namespace ForgetLab.Cli.Tests;

/// <summary>
/// <c>forgetlab bench memory</c> in a process of its own (resident memory is the whole process's, so it cannot be read
/// inside the test host): a training run's RSS stops growing once the .NET GC has committed its allocation budget.
/// docs/benchmarks.md, "Memory", has the full figure (steps 10 to 1,000) and where the growth before it goes.
/// </summary>
public sealed class BenchMemoryCommandTests
{
    [Fact]
    public void ATrainingRunsResidentMemoryIsFlatFromStep300ToStep600()
    {
        var dir = CliProcess.TempDirectory();

        var result = CliProcess.Run(dir, "bench", "memory", "--model", "gpt2-reference", "--phase", "train", "--steps", "600",
            "--batch-size", "1", "--rss-at", "300,600", "--threads", "1");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var fields = result.Stdout.Split('\n').Single(l => l.StartsWith("MEMORY ", StringComparison.Ordinal)).Split(' ')
            .Skip(1).Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1]);
        double Mb(string key) => double.Parse(fields[key], CultureInfo.InvariantCulture);
        // Measured: −0.4 MiB from step 250 to 1,000, after +17 MiB (the GC's budget) from step 100 to 250. One activation
        // (128 x 256 floats, 128 KiB) kept per step would add 37.5 MiB over these 300 steps.
        Assert.True(Mb("rss_at_600_mb") - Mb("rss_at_300_mb") < 8,
            $"RSS at step 300: {fields["rss_at_300_mb"]} MiB, at step 600: {fields["rss_at_600_mb"]} MiB ({result.Stdout})");
        Assert.True(Mb("malloc_used_at_600_mb") - Mb("malloc_used_at_300_mb") < 8,
            $"malloc in use at step 300: {fields["malloc_used_at_300_mb"]} MiB, at step 600: {fields["malloc_used_at_600_mb"]} MiB");
    }
}
