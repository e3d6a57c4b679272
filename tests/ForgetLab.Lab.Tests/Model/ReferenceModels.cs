using System.Diagnostics;

namespace ForgetLab.Lab.Tests.Model;

/// <summary>
/// The tiny random model folders of every architecture variant, written once per test run by the
/// independent Python reference (tests/reference/hf-models/write_models.py on Debian's python3-torch),
/// each with the reference's logits and greedy continuation. Without python3-torch the tests that use
/// them skip, except under CI (<c>FORGETLAB_REQUIRE_TORCH=1</c>, set by .ci/run), where they fail.
/// </summary>
public sealed class ReferenceModels : IDisposable
{
    public const string Python = "/usr/bin/python3";

    public static readonly string[] Variants =
    [
        "llama-gqa", "llama-llama3-rope-tied-biases", "llama-linear-rope-bf16-sharded", "mistral-f16",
        "qwen2-tied-sharded", "qwen3-bf16", "gpt2",
    ];

    private readonly Lazy<string?> folder;

    public ReferenceModels() => folder = new Lazy<string?>(Write);

    /// <summary>The variant's folder; skips (or, under CI, fails) when python3-torch is missing.</summary>
    public string Folder(string variant)
    {
        if (folder.Value is null)
        {
            Assert.True(Environment.GetEnvironmentVariable("FORGETLAB_REQUIRE_TORCH") != "1", "python3-torch or python3-sentencepiece is not installed, and .ci/run requires them");
            Assert.Skip("python3-torch or python3-sentencepiece is not installed: apt-get install --no-install-recommends python3-torch python3-sentencepiece (.ci/run installs them)");
        }
        return Path.Combine(folder.Value!, variant);
    }

    public static string Script(string name) => Path.Combine(Root(), "tests", "reference", "hf-models", name);

    /// <summary>True when /usr/bin/python3 can import torch and sentencepiece (the folders' tokenizer).</summary>
    public static bool TorchAvailable()
    {
        if (!File.Exists(Python)) return false;
        var (code, _) = Run("-c \"import torch, sentencepiece\"");
        return code == 0;
    }

    /// <summary>Runs the reference's Python with the arguments; throws with its stderr when it fails.</summary>
    public static (int Code, string Output) Run(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(Python, arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            Environment = { ["OMP_NUM_THREADS"] = "1" },
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }

    private static string? Write()
    {
        if (!TorchAvailable()) return null;
        var dir = TinyModels.TempDirectory();
        var (code, output) = Run($"\"{Script("write_models.py")}\" \"{dir}\"");
        if (code != 0) throw new InvalidOperationException($"write_models.py failed ({code}): {output}");
        return dir;
    }

    public static string RepoRoot() => Root();

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ForgetLab.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No ForgetLab.sln above {AppContext.BaseDirectory}");
    }

    public void Dispose()
    {
        if (folder.IsValueCreated && folder.Value is { } dir && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
