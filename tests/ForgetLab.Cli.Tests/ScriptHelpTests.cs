using System.Diagnostics;

namespace ForgetLab.Cli.Tests;

/// <summary>The repository's <c>./forgetlab</c> script, as a new user first runs it.</summary>
public class ScriptHelpTests
{
    [Fact]
    public async Task HelpPrintsItsUsageVerbatimWithoutRunningAnythingInIt()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ForgetLab.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var start = new ProcessStartInfo("bash", ["forgetlab", "--help"])
        {
            WorkingDirectory = root.FullName, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var token = TestContext.Current.CancellationToken;
        var stdout = process.StandardOutput.ReadToEndAsync(token);
        var stderr = process.StandardError.ReadToEndAsync(token);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(0, process.ExitCode);
        Assert.Equal("", await stderr); // backticks in an unquoted here-document ran `up`: "up: command not found"
        Assert.Contains("stop what `up` started (by PID); its state stays for the next `up`", await stdout);
    }
}
