using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Rl;
using ForgetLab.Lab.Tokenization;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Rl;

/// <summary>Temperature and top-p as transformers' warpers apply them, and sampling that a saved state replays exactly.</summary>
public class TokenSamplerTests
{
    [Fact]
    public void TopPDropsTheLeastLikelyTokensWhoseCumulativeMassIsAtMostOneMinusTopP()
    {
        // p = [0.5, 0.3, 0.15, 0.05], top_p 0.75: ascending cumulative 0.05, 0.2 (both ≤ 0.25, dropped), 0.5, 1.
        var logits = new[] { 0.5, 0.3, 0.15, 0.05 }.Select(x => Math.Log(x)).ToArray();
        var probs = new TokenSampler(1.0, 0.75, 1).Distribution(logits);
        Assert.Equal([0.625, 0.375, 0, 0], probs.Select(p => Math.Round(p, 12)));
        // The most likely token always stays, however small top_p is.
        Assert.Equal([1.0, 0, 0, 0], new TokenSampler(1.0, 1e-9, 1).Distribution(logits).Select(p => Math.Round(p, 12)));
    }

    [Fact]
    public void TemperatureDividesTheLogits()
    {
        var logits = new[] { 2.0, 0.0 };
        var probs = new TokenSampler(2.0, 1.0, 1).Distribution(logits);
        Assert.Equal(Math.Exp(1) / (Math.Exp(1) + 1), probs[0], 12);
    }

    [Fact]
    public void ThePolicyLossScoresCompletionsUnderTheDistributionTheSamplerDrewThemFromAtItsTemperature()
    {
        using var model = TinyModels.Create(3);
        using var input = tensor(new long[] { 5, 9, 11, 7 }, [1, 4]);
        using var targets = tensor(new long[] { 9, 11, 7, 12 }, [1, 4]);
        using var _ = no_grad();
        using var logits = model.forward(input).to(ScalarType.Float32);

        using var atHalf = RlTrainer.TokenLogProbs(model, input, targets, 0.5);
        using var expected = nn.functional.log_softmax(logits.div(0.5), -1).gather(2, targets.unsqueeze(2)).squeeze(2);
        using var atOne = RlTrainer.TokenLogProbs(model, input, targets);
        using var plain = nn.functional.log_softmax(logits, -1).gather(2, targets.unsqueeze(2)).squeeze(2);

        Assert.True(atHalf.allclose(expected, rtol: 1e-5, atol: 1e-6));
        Assert.True(atOne.allclose(plain, rtol: 1e-5, atol: 1e-6));
        Assert.False(atHalf.allclose(atOne, rtol: 1e-3, atol: 1e-4));
    }

    [Fact]
    public void SamplingFollowsTheDistributionAndReplaysFromASavedState()
    {
        var sampler = new TokenSampler(1.0, 1.0, 42);
        using var logits = tensor(new[] { 0.7f, 0.2f, 0.1f }.Select(p => (float)Math.Log(p)).ToArray(), [1, 3]).expand(4000, 3).contiguous();
        var state = sampler.State;
        var draws = sampler.Choose(logits);
        Assert.InRange(draws.Count(d => d == 0) / 4000.0, 0.67, 0.73);
        Assert.InRange(draws.Count(d => d == 2) / 4000.0, 0.08, 0.12);
        sampler.State = state;
        Assert.Equal(draws, sampler.Choose(logits));
    }

    [Fact]
    public void SampledGenerationThroughTheCacheEqualsTheUncachedSamplingLoop()
    {
        using var model = TinyModels.Create(3);
        var tokenizer = WordTokenizer.Build(["a b c"]);
        int[][] prompts = [[5, 9, 11], [7, 7, 30], [12, 4, 6, 8, 10]];
        var lm = new TorchLanguageModel(model, tokenizer, batchSize: 1);
        var cached = lm.SampledTokens(prompts, 6, new TokenSampler(0.8, 0.9, 5), stopIds: []);

        // The same draws, one prompt at a time, each step a full forward over the whole sequence.
        var sampler = new TokenSampler(0.8, 0.9, 5);
        using var _ = no_grad();
        for (var p = 0; p < prompts.Length; p++)
        {
            var tokens = prompts[p].Select(t => (long)t).ToList();
            for (var step = 0; step < 6; step++)
            {
                using var logits = model.forward(tensor(tokens.ToArray(), [1, tokens.Count]))[.., -1, ..];
                tokens.Add(sampler.Choose(logits)[0]);
            }
            Assert.Equal(tokens.Skip(prompts[p].Length).Select(t => (int)t), cached[p]);
        }
    }
}
