using System.Diagnostics;

namespace ForgetLab.Cli.Tests;

/// <summary>Runs the real <c>forgetlab</c> executable (built beside the tests) as a user would, capturing its output.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "forgetlab.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["FORGETLAB_CACHE"] = Path.Combine(workingDirectory, "cache");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(true); throw new TimeoutException("forgetlab did not exit"); }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "forgetlab-cli-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
