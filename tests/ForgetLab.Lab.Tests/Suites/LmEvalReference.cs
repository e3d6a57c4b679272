using System.Diagnostics;
using System.Text.Json;

namespace ForgetLab.Lab.Tests.Suites;

/// <summary>
/// The independent Python reading of lm-eval task files (tests/reference/lm-eval/lm_eval_reference.py, written
/// from lm-eval 0.4.10's source, on Debian's python3-yaml, -jinja2, -numpy and -pandas). Without those packages
/// the tests that use it skip, except under CI (<c>FORGETLAB_REQUIRE_LMEVAL=1</c>, set by .ci/run), where they fail.
/// </summary>
public static class LmEvalReference
{
    public const string Python = "/usr/bin/python3";

    public static string Fixtures => Path.Combine(Root(), "tests", "ForgetLab.Lab.Tests", "Suites", "Fixtures", "lm-eval");

    public static string Fixture(string relative) => Path.Combine(Fixtures, relative);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<JsonElement>> Runs = new(StringComparer.Ordinal);

    /// <summary>
    /// The reference's JSON for a task file (with the model generations of an <c>outputs.jsonl</c> beside it, if any),
    /// computed once per test run; skips (or, under CI, fails) when the Python packages are missing.
    /// </summary>
    public static JsonElement Run(string yaml)
    {
        RequireAvailable();
        return Runs.GetOrAdd(yaml, path => new Lazy<JsonElement>(() =>
        {
            var outputs = Path.Combine(Path.GetDirectoryName(path)!, "outputs.jsonl");
            var args = $"\"{Path.Combine(Root(), "tests", "reference", "lm-eval", "lm_eval_reference.py")}\" \"{path}\"" + (File.Exists(outputs) ? $" --outputs \"{outputs}\"" : "");
            var (code, stdout, stderr) = Exec(args);
            if (code != 0) throw new InvalidOperationException($"lm_eval_reference.py failed ({code}): {stderr}");
            return JsonDocument.Parse(stdout).RootElement.Clone();
        })).Value;
    }

    /// <summary>Runs a Python snippet on the reference's interpreter and returns what it prints.</summary>
    public static string Eval(string code)
    {
        RequireAvailable();
        var path = Path.Combine(Path.GetTempPath(), $"forgetlab-py-{Guid.NewGuid():N}.py");
        File.WriteAllText(path, code);
        try
        {
            var (exit, stdout, stderr) = Exec($"\"{path}\"");
            return exit == 0 ? stdout : throw new InvalidOperationException($"python failed ({exit}): {stderr}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void RequireAvailable()
    {
        if (Available.Value) return;
        Assert.True(Environment.GetEnvironmentVariable("FORGETLAB_REQUIRE_LMEVAL") != "1", "python3-yaml, python3-jinja2, python3-numpy or python3-pandas is missing, and .ci/run requires them");
        Assert.Skip("the lm-eval reference needs /usr/bin/python3 with python3-yaml, python3-jinja2, python3-numpy, python3-pandas (.ci/run installs them)");
    }

    private static readonly Lazy<bool> Available = new(() =>
        File.Exists(Python) && Exec("-c \"import yaml, jinja2, numpy, pandas\"").Code == 0);

    private static (int Code, string Stdout, string Stderr) Exec(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(Python, arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            Environment = { ["OMP_NUM_THREADS"] = "1", ["PYTHONIOENCODING"] = "utf-8" },
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ForgetLab.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No ForgetLab.sln above {AppContext.BaseDirectory}");
    }
}
