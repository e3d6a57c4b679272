using System.Text.Json;
using System.Text.Json.Serialization;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Tests.Model;

namespace ForgetLab.Lab.Tests.Evaluation;

/// <summary>
/// On the reference's tiny folders of every architecture, each with a real SentencePiece tokenizer, ForgetLab's
/// <c>loglikelihood</c> / <c>is_greedy</c>, rolling log-likelihoods and greedy generations equal those of the
/// independent Python reference written from lm-evaluation-harness's and transformers' code
/// (tests/reference/hf-models/lm_eval_reference.py): log-likelihoods within 1e-4, identical greedy tokens and text.
/// </summary>
public sealed class LmEvalAgreementTests(ReferenceModels models) : IClassFixture<ReferenceModels>
{
    public static TheoryData<string> Variants() => new(ReferenceModels.Variants);

    [Theory]
    [MemberData(nameof(Variants))]
    public void LoglikelihoodAndIsGreedyAgreeWithLmEvalsWithin1e4(string variant)
    {
        var folder = models.Folder(variant);
        var reference = LmEvalReference.Read(folder);
        using var model = ModelFolder.Load(folder);
        var lm = new TorchLanguageModel(model, PretrainedTokenizer.Load(folder), batchSize: 3);

        var results = lm.Loglikelihood(reference.Requests.Select(r => new LoglikelihoodRequest(r.Context, r.Continuation)).ToList());

        var maxDiff = reference.Requests.Zip(results, (e, a) => Math.Abs(e.Loglikelihood - a.LogProb)).Max();
        if (Environment.GetEnvironmentVariable("FORGETLAB_AGREEMENT_REPORT") is { Length: > 0 } report)
            File.AppendAllText(report, $"{variant} loglikelihood\t{maxDiff:E2}\n");
        Assert.True(maxDiff <= 1e-4, $"{variant}: max |Δloglikelihood| = {maxDiff:E2}");
        Assert.Equal(reference.Requests.Select(r => r.IsGreedy), results.Select(r => r.IsGreedy));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void RollingLoglikelihoodsAgreeWithLmEvalsWithin1e4(string variant)
    {
        var folder = models.Folder(variant);
        var reference = LmEvalReference.Read(folder);
        using var model = ModelFolder.Load(folder);
        var lm = new TorchLanguageModel(model, PretrainedTokenizer.Load(folder), batchSize: 2);

        var results = lm.LoglikelihoodRolling(reference.Rolling.Select(r => r.Text).ToList());

        Assert.Equal(reference.Rolling.Select(r => r.Tokens), results.Select(r => r.Tokens));
        var maxDiff = reference.Rolling.Zip(results, (e, a) => Math.Abs(-e.Loglikelihood - a.Nll)).Max();
        Assert.True(maxDiff <= 1e-4, $"{variant}: max |Δrolling loglikelihood| = {maxDiff:E2}");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void CachedGreedyGenerationIsTokenIdenticalToTransformersGreedyGenerate(string variant)
    {
        var folder = models.Folder(variant);
        var reference = LmEvalReference.Read(folder);
        using var model = ModelFolder.Load(folder);
        var tokenizer = PretrainedTokenizer.Load(folder);
        var lm = new TorchLanguageModel(model, tokenizer);

        foreach (var expected in reference.Generate)
        {
            var tokens = lm.GreedyTokens([[.. tokenizer.Encode(expected.Prompt)]], expected.MaxNewTokens, stopIds: HfGeneration.EosTokenIds(folder))[0];
            Assert.Equal(expected.Tokens, tokens);
            Assert.Equal(expected.Text, tokenizer.Decode(tokens, skipSpecialTokens: true));
        }
    }

    private sealed record LmEvalReference(
        [property: JsonPropertyName("requests")] ScoredRequest[] Requests,
        [property: JsonPropertyName("rolling")] RollingText[] Rolling,
        [property: JsonPropertyName("generate")] Generation[] Generate)
    {
        public static LmEvalReference Read(string folder)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "reference.json")));
            return doc.RootElement.GetProperty("lm_eval").Deserialize<LmEvalReference>()!;
        }
    }

    private sealed record ScoredRequest(
        [property: JsonPropertyName("context")] string Context, [property: JsonPropertyName("continuation")] string Continuation,
        [property: JsonPropertyName("loglikelihood")] double Loglikelihood, [property: JsonPropertyName("is_greedy")] bool IsGreedy);

    private sealed record RollingText(
        [property: JsonPropertyName("text")] string Text, [property: JsonPropertyName("loglikelihood")] double Loglikelihood,
        [property: JsonPropertyName("tokens")] int Tokens);

    private sealed record Generation(
        [property: JsonPropertyName("prompt")] string Prompt, [property: JsonPropertyName("max_new_tokens")] int MaxNewTokens,
        [property: JsonPropertyName("tokens")] int[] Tokens, [property: JsonPropertyName("text")] string Text);
}
