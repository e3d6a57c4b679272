using ForgetLab.Core.Tests.Models;

namespace ForgetLab.Cli.Tests;

/// <summary><c>forgetlab model info DIR</c>: a folder's architecture, parameters, dtype, tokenizer and memory estimate, or its problems.</summary>
public sealed class ModelInfoCommandTests
{
    private static string Write(Dictionary<string, byte[]> files)
    {
        var dir = CliProcess.TempDirectory();
        foreach (var (name, bytes) in files) File.WriteAllBytes(Path.Combine(dir, name), bytes);
        return dir;
    }

    [Fact]
    public void InfoPrintsAShardedBf16LlamasArchitectureParametersDtypeTokenizerAndMemoryEstimate()
    {
        var dir = Write(TinyHfFolders.Llama("BF16", sharded: true));

        var result = CliProcess.Run(dir, "model", "info", dir);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal([
            "architecture  llama: 1 layers × 8, 2 heads (1 key/value), vocab 16, context 64",
            "parameters    760",
            "dtype         BF16 on disk (1.5 KiB)",
            "tokenizer     bpe (tokenizer.json), 16 ids",
            "memory        batch 8 × 64 tokens, compute float32, AdamW, runtime included:",
        ], lines[..5]);
        // Full fine-tuning holds float32 weights and gradients (760 × 4 bytes each) and AdamW's two moments.
        // The runtime is the estimate's measured CPU process baseline, whatever its current figure.
        var runtime = System.Text.RegularExpressions.Regex.Escape($"{ForgetLab.Core.Models.MemoryEstimate.CpuRuntimeBytes / 1048576.0:F1}".Replace(',', '.'));
        Assert.Matches(@"^full fine-tuning\s+[\d.]+ MiB\s+\(weights 3\.0 KiB, gradients 3\.0 KiB, optimizer 5\.9 KiB, activations [\d.]+ KiB, runtime " + runtime + @" MiB\)$", lines[5]);
        Assert.StartsWith("LoRA r8 all-linear", lines[6]);
        Assert.Matches(@"^evaluation\s+[\d.]+ MiB\s+\(weights 3\.0 KiB, gradients 0 B, optimizer 0 B, ", lines[7]);
    }

    [Fact]
    public void InfoOnAFolderTheRegistryWouldRefuseNamesEachProblemsFileAndFieldAndExitsTwo()
    {
        var dir = Write(TinyHfFolders.Break("an index naming a missing shard"));

        var result = CliProcess.Run(dir, "model", "info", dir);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("model.safetensors.index.json.weight_map[model.embed_tokens.weight]: names model-00001-of-00002.safetensors, which is not in the folder", result.Stderr);
        Assert.Empty(result.Stdout.Trim());
    }
}
