using System.Text.Json;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Peft;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Model;

/// <summary>
/// Every architecture loads a Hugging Face folder written by an independent implementation (the
/// Python reference, from transformers' modeling code) and computes what it computes: logits within
/// 1e-4 in float32 and token-identical greedy continuations, on single, sharded, F16 and BF16 files;
/// and a LoRA adapter saved in PEFT's layout by the reference loads onto its base and agrees as well.
/// </summary>
public sealed class ReferenceAgreementTests(ReferenceModels models) : IClassFixture<ReferenceModels>
{
    public static TheoryData<string> Variants() => new(ReferenceModels.Variants);

    [Theory]
    [MemberData(nameof(Variants))]
    public void LogitsAgreeWithTheReferenceWithin1e4(string variant)
    {
        var folder = models.Folder(variant);
        var reference = Reference.Read(folder);
        using var model = ModelFolder.Load(folder);
        model.eval();
        using var _ = no_grad();

        using var ids = tensor(reference.InputIds.SelectMany(r => r).ToArray(), [reference.InputIds.Length, reference.InputIds[0].Length]);
        using var logits = model.forward(ids);
        using var expected = tensor(reference.Logits.SelectMany(b => b.SelectMany(t => t)).ToArray(), logits.shape);

        var maxDiff = (logits - expected).abs().max().item<float>();
        // docs/models.md's agreement table is written from these lines.
        if (Environment.GetEnvironmentVariable("FORGETLAB_AGREEMENT_REPORT") is { Length: > 0 } report)
            File.AppendAllText(report, $"{variant}\t{maxDiff:E2}\n");
        Assert.True(maxDiff <= 1e-4, $"{variant}: max |Δlogit| = {maxDiff:E2}");
    }

    public static TheoryData<string> LoraVariants() => new("llama-gqa", "qwen2-tied-sharded", "qwen3-bf16", "gpt2");

    [Theory]
    [MemberData(nameof(LoraVariants))]
    public void APeftLoraAdapterLoadsAndItsLogitsAgreeWithTheReference(string variant)
    {
        var folder = models.Folder(variant);
        var reference = Reference.Read(folder);
        using var model = ModelFolder.Load(folder);
        var adapter = Path.Combine(folder, "adapter");
        var lora = LoraSettings.Read(adapter);
        lora.Apply(model);
        lora.LoadWeights(model, adapter);
        model.eval();
        using var _ = no_grad();

        using var ids = tensor(reference.InputIds.SelectMany(r => r).ToArray(), [reference.InputIds.Length, reference.InputIds[0].Length]);
        using var logits = model.forward(ids);
        using var expected = tensor(reference.LoraLogits!.SelectMany(b => b.SelectMany(t => t)).ToArray(), logits.shape);
        using var baseLogits = tensor(reference.Logits.SelectMany(b => b.SelectMany(t => t)).ToArray(), logits.shape);

        var maxDiff = (logits - expected).abs().max().item<float>();
        if (Environment.GetEnvironmentVariable("FORGETLAB_AGREEMENT_REPORT") is { Length: > 0 } report)
            File.AppendAllText(report, $"{variant} + LoRA\t{maxDiff:E2}\n");
        Assert.True((expected - baseLogits).abs().max().item<float>() > 1e-2, "the adapter should change the logits");
        Assert.True(maxDiff <= 1e-4, $"{variant} with LoRA: max |Δlogit| = {maxDiff:E2}");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void GreedyContinuationsAreTokenIdenticalToTheReference(string variant)
    {
        var folder = models.Folder(variant);
        var reference = Reference.Read(folder);
        using var model = ModelFolder.Load(folder);
        model.eval();
        using var _ = no_grad();

        var tokens = reference.Prompt.ToList();
        for (var i = 0; i < reference.Greedy.Length; i++)
        {
            using var scope = NewDisposeScope();
            var logits = model.forward(tensor(tokens.ToArray(), [1, tokens.Count]));   // (1, T, V)
            tokens.Add(logits[0, -1].argmax().item<long>());
        }

        Assert.Equal(reference.Greedy, tokens.Skip(reference.Prompt.Length).ToArray());
    }

    private sealed record Reference(long[][] InputIds, float[][][] Logits, long[] Prompt, long[] Greedy, float[][][]? LoraLogits)
    {
        public static Reference Read(string folder)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "reference.json")));
            var r = doc.RootElement;
            return new Reference(
                r.GetProperty("input_ids").Deserialize<long[][]>()!,
                r.GetProperty("logits").Deserialize<float[][][]>()!,
                r.GetProperty("prompt").Deserialize<long[]>()!,
                r.GetProperty("greedy").Deserialize<long[]>()!,
                r.TryGetProperty("lora_logits", out var lora) ? lora.Deserialize<float[][][]>() : null);
        }
    }
}
