using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Model.Gpt2;
using ForgetLab.Lab.Tokenization;

namespace ForgetLab.Lab.Tests.Evaluation;

public class TorchLanguageModelTests
{
    private static readonly WordTokenizer Tokenizer = WordTokenizer.Build(["the capital of peru is lima .", "q : what is the capital of chile ? a : santiago .", "1 2 + 3 4 = 4 6 ."]);

    /// <summary>The same seeded random model each time, sized to the tokenizer.</summary>
    private static TorchLanguageModel Lm(int batchSize, bool logitsCache = true)
    {
        TorchSharp.torch.random.manual_seed(5);
        return new TorchLanguageModel(new GptModel(TinyModels.Config with { VocabSize = Tokenizer.VocabSize }), Tokenizer, batchSize, logitsCache: logitsCache);
    }

    private static readonly LoglikelihoodRequest[] Requests =
    [
        new("the capital of peru is", " lima ."),
        new("the capital of peru is ", "santiago ."),
        new("q : what is the capital of chile ? a :", " santiago ."),
        new("1 2 + 3 4 =", " 4 6 ."),
        new("of", " peru"),
    ];

    [Fact]
    public void BatchedLoglikelihoodEqualsOneRequestAtATime()
    {
        var batched = Lm(batchSize: 64).Loglikelihood(Requests);
        var single = Lm(batchSize: 1).Loglikelihood(Requests);
        for (var i = 0; i < Requests.Length; i++)
        {
            Assert.Equal(single[i].LogProb, batched[i].LogProb, 4);
            Assert.Equal(single[i].IsGreedy, batched[i].IsGreedy);
            Assert.Equal(single[i].Tokens, batched[i].Tokens);
        }
        Assert.All(batched, r => Assert.True(r.LogProb < 0));
    }

    [Fact]
    public void ChoicesOfOneContextAreScoredFromOneRowWithTheScoresOfOneForwardEach()
    {
        // Peru's one-token choices have the context as their input, a prefix of the two-token choice's: one row.
        // Chile's two one-token choices: another. The naive scorer runs all five.
        LoglikelihoodRequest[] choices =
        [
            new("the capital of peru is", " lima"), new("the capital of peru is", " santiago"), new("the capital of peru is", " lima ."),
            new("q : what is the capital of chile ? a :", " santiago"), new("q : what is the capital of chile ? a :", " peru"),
        ];
        var shared = Lm(batchSize: 64);
        var naive = Lm(batchSize: 1, logitsCache: false);
        var fast = shared.Loglikelihood(choices);
        var slow = naive.Loglikelihood(choices);
        Assert.Equal(2, shared.ScoredRows);
        Assert.Equal(choices.Length, naive.ScoredRows);
        for (var i = 0; i < choices.Length; i++)
        {
            Assert.Equal(slow[i].LogProb, fast[i].LogProb, 4);
            Assert.Equal(slow[i].IsGreedy, fast[i].IsGreedy);
            Assert.Equal(slow[i].Tokens, fast[i].Tokens);
        }
    }

    [Fact]
    public void BatchedGenerationEqualsOnePromptAtATime()
    {
        string[] prompts = ["the capital of peru is", "q : what is the capital of chile ? a :", "1 2 + 3 4 =", "the capital of"];
        Assert.Equal(Lm(1).GenerateUntil(prompts, ["."], 5), Lm(64).GenerateUntil(prompts, ["."], 5));
    }

    [Fact]
    public void RollingLoglikelihoodIsTheSumOverTokens()
    {
        var lm = Lm(8);
        var rolling = lm.LoglikelihoodRolling(["the capital of peru is lima ."])[0];
        // The same text as a continuation of nothing: the same tokens scored after the leading end-of-text.
        var asContinuation = lm.Loglikelihood([new LoglikelihoodRequest("", "the capital of peru is lima .")])[0];
        Assert.Equal(7, rolling.Tokens);
        Assert.Equal(-asContinuation.LogProb, rolling.Nll, 3);
    }

    [Fact]
    public void KlOfAModelToItselfIsZero()
    {
        var lm = Lm(8);
        var kl = lm.KlFrom(lm, ["the capital of peru is lima .", "1 2 + 3 4 = 4 6 ."]);
        Assert.All(kl, k => Assert.Equal(0, k, 6));
    }

    [Fact]
    public void TheLabsWordLevelScoresAreThoseOfTheScorerBeforeLmEvalsSemantics()
    {
        // Before: [EOS] + prompt + choice through the model, the choice's tokens scored; rolling: [EOS] + text.
        var conventions = EvaluationConventions.LabDocuments(Tokenizer);
        TorchSharp.torch.random.manual_seed(5);
        using var model = new GptModel(TinyModels.Config with { VocabSize = Tokenizer.VocabSize });
        var lm = new TorchLanguageModel(model, Tokenizer, 8, conventions.Options);
        (string Prompt, string Choice)[] items = [("the capital of peru is", "lima ."), ("q : what is the capital of chile ? a :", "santiago ."), ("1 2 + 3 4 =", "4 6 .")];

        var now = lm.Loglikelihood(items.Select(i => new LoglikelihoodRequest(conventions.Description + i.Prompt, SuiteEvaluator.TargetDelimiter + i.Choice)).ToList());
        var rolling = lm.LoglikelihoodRolling(["the capital of peru is lima ."])[0];

        for (var i = 0; i < items.Length; i++)
        {
            var (before, tokens) = Before(model, [Tokenizer.EosId, .. Tokenizer.Encode(items[i].Prompt)], Tokenizer.Encode(items[i].Choice));
            Assert.Equal(tokens, now[i].Tokens);
            Assert.Equal(before, now[i].LogProb, 5);
        }
        var (text, count) = Before(model, [Tokenizer.EosId], Tokenizer.Encode("the capital of peru is lima ."));
        Assert.Equal(count, rolling.Tokens);
        Assert.Equal(-text, rolling.Nll, 5);
    }

    private static (double LogProb, int Tokens) Before(GptModel model, int[] context, int[] continuation)
    {
        using var _ = TorchSharp.torch.no_grad();
        long[] row = [.. context.Concat(continuation).Select(t => (long)t)];
        using var logProbs = TorchSharp.torch.nn.functional.log_softmax(model.forward(TorchSharp.torch.tensor(row, [1, row.Length])), -1);
        var sum = 0.0;
        for (var k = 0; k < continuation.Length; k++) sum += logProbs[0, context.Length - 1 + k, continuation[k]].item<float>();
        return (sum, continuation.Length);
    }
}
