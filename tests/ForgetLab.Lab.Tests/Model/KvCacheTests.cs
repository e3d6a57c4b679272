using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Tokenization;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Model;

/// <summary>
/// A forward through a KV cache computes what the full forward computes, on both architectures, and cached batched
/// greedy generation produces the tokens of a plain loop that recomputes the whole sequence for every new token.
/// </summary>
public class KvCacheTests
{
    public static TheoryData<string> Architectures() => new("gpt2", "llama");

    private static CausalLanguageModel Create(string architecture) =>
        architecture == "gpt2" ? TinyModels.Create(3) : TinyLlamas.Create(seed: 3);

    [Theory]
    [MemberData(nameof(Architectures))]
    public void CachedForwardsInPiecesGiveTheLogitsOfOneFullForward(string architecture)
    {
        using var model = Create(architecture);
        model.eval();
        using var _ = no_grad();
        using var ids = TinyModels.Tokens(seed: 4, batch: 2, length: 12);
        using var full = model.forward(ids);                                    // (B, 12, V)

        using var cache = new KvCache();
        // A prompt of 5, one token, then a chunk of 4 after a past (the shared-context case), then 2 single tokens.
        var pieces = new List<Tensor>();
        foreach (var (start, length) in new[] { (0, 5), (5, 1), (6, 4), (10, 1), (11, 1) })
            pieces.Add(model.Forward(ids.narrow(1, start, length), cache));
        using var cached = cat(pieces, 1);

        Assert.Equal(12, cache.Length);
        var maxDiff = (cached - full).abs().max().item<float>();
        Assert.True(maxDiff < 1e-5, $"{architecture}: max |Δlogit| {maxDiff:E2}");
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void CachedBatchedGreedyGenerationEqualsTheUncachedLoopTokenForToken(string architecture)
    {
        using var model = Create(architecture);
        var tokenizer = WordTokenizer.Build(["a b c"]); // only its EOS matters: the prompts are ids
        // Prompts of three lengths, two of them alike in length so they share a batch; none longer than 16 − 8.
        int[][] prompts = [[5, 9, 11], [7, 7, 30], [12, 4, 6, 8, 10], [33], [2, 21, 22, 23, 24, 25, 26, 27]];
        var lm = new TorchLanguageModel(model, tokenizer, batchSize: 4);

        var cached = lm.GreedyTokens(prompts, maxNewTokens: 8);
        // The naive scorer of `forgetlab bench eval` (no cache, one prompt at a time) makes the same tokens too.
        Assert.Equal(cached, new TorchLanguageModel(model, tokenizer, batchSize: 1, kvCache: false).GreedyTokens(prompts, maxNewTokens: 8));

        var stop = tokenizer.EosId;
        for (var p = 0; p < prompts.Length; p++)
        {
            var expected = UncachedGreedy(model, prompts[p], 8, stop);
            Assert.Equal(expected, cached[p]);
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void ChoicesScoredFromTheirItemsSharedContextGetTheLoglikelihoodsOfOneForwardEach(string architecture)
    {
        using var model = Create(architecture);
        var tokenizer = WordTokenizer.Build(["a b c"]);
        // Three items of 3, 4 and 2 choices (contexts of two equal lengths and one other; continuations of 1–4 tokens),
        // a lone request, and an item whose longest choice would pass the 16 positions (scored the plain way).
        (int[] Context, int[] Continuation)[] pairs =
        [
            ([5, 9, 11], [3]), ([5, 9, 11], [7, 8]), ([5, 9, 11], [30, 31, 32, 33]),
            ([6, 2, 12], [4]), ([6, 2, 12], [4, 5]), ([6, 2, 12], [17]), ([6, 2, 12], [9, 9, 9]),
            ([20, 21, 22, 23, 24], [1, 2]), ([20, 21, 22, 23, 24], [2]),
            ([13], [14, 15]),
            ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], [2]), ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], [2, 3, 4, 5, 6]),
        ];

        // Every context shared however short (the default shares from 32 tokens; this model has 16 positions).
        var sharing = new TorchLanguageModel(model, tokenizer, batchSize: 8, shareContexts: true) { SharedContextMinTokens = 1 };
        var shared = sharing.LoglikelihoodTokens(pairs);
        Assert.Equal(2, sharing.SharedContextBatches);   // the two items of 3-token contexts in one batch, the 5-token one in another
        var plain = new TorchLanguageModel(model, tokenizer, batchSize: 8, kvCache: false).LoglikelihoodTokens(pairs);

        for (var i = 0; i < pairs.Length; i++)
        {
            Assert.True(Math.Abs(shared[i].LogProb - plain[i].LogProb) < 1e-4, $"{architecture} request {i}: {shared[i].LogProb} against {plain[i].LogProb}");
            Assert.Equal(plain[i].IsGreedy, shared[i].IsGreedy);
            Assert.Equal(plain[i].Tokens, shared[i].Tokens);
        }
    }

    /// <summary>The naive loop: the whole sequence through a plain forward for every new token, one prompt at a time.</summary>
    private static int[] UncachedGreedy(CausalLanguageModel model, int[] prompt, int maxNewTokens, int stop)
    {
        model.eval();
        using var _ = no_grad();
        var tokens = prompt.Select(t => (long)t).ToList();
        var generated = new List<int>();
        for (var i = 0; i < maxNewTokens; i++)
        {
            using var scope = NewDisposeScope();
            var next = (int)model.forward(tensor(tokens.ToArray(), [1, tokens.Count]))[0, -1].argmax().item<long>();
            generated.Add(next);
            if (next == stop) break;
            tokens.Add(next);
        }
        return [.. generated];
    }
}
