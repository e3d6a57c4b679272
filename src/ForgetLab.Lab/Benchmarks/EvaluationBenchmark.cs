using System.Diagnostics;
using ForgetLab.Core.Models;
using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Model.Gpt2;
using ForgetLab.Lab.Suites;
using ForgetLab.Lab.World;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Benchmarks;

/// <summary>One suite kind scored by ForgetLab's evaluator and by the naive scorer, on the same items.</summary>
public sealed record EvaluationBenchmarkResult(string Kind, string Suite, int Items, double Seconds, double NaiveSeconds, bool SameOutcomes, double MaxDifference)
{
    public double ItemsPerSecond => Items / Seconds;

    public double NaiveItemsPerSecond => Items / NaiveSeconds;

    public double Speedup => NaiveSeconds / Seconds;
}

/// <summary>
/// Evaluation speed per scoring kind on the built-in world's suites (multiple choice, generate_until, rolling
/// log-likelihood, KL to the base), for a model of the quickstart's shape (the world's word-level vocabulary, d 256,
/// 4 layers, 4 heads, context 128; random weights: speed and agreement do not depend on them). Each kind is scored
/// by <see cref="TorchLanguageModel"/> (length-sorted batches, generation through a KV cache) and by the naive
/// scorer (the same class with batch size 1 and no cache: one forward per (context, choice) and per rolling
/// window, the whole sequence recomputed per generated token), and their per-item outcomes are compared.
/// </summary>
public static class EvaluationBenchmark
{
    /// <param name="architecture"><c>gpt2</c> (the reference model) or <c>llama</c> (the world's Llama base shape: RMSNorm, RoPE,
    /// SwiGLU of 704, tied head, at the same width, depth and heads)</param>
    public static IReadOnlyList<EvaluationBenchmarkResult> Run(int items = 64, int batchSize = 64, int? threads = null, string architecture = "gpt2")
    {
        if (threads is { } t) set_num_threads(t);
        var world = BuiltInWorld.Load();
        var tokenizer = world.BuildTokenizer();
        var conventions = EvaluationConventions.For(tokenizer);
        IModelConfig config = architecture switch
        {
            "gpt2" => new GptConfig { VocabSize = tokenizer.VocabSize, NPositions = 128, NEmbd = 256, NLayer = 4, NHead = 4 },
            "llama" => new LlamaConfig
            {
                VocabSize = tokenizer.VocabSize, HiddenSize = 256, IntermediateSize = 704, NumHiddenLayers = 4, NumAttentionHeads = 4,
                NumKeyValueHeads = 4, HeadDim = 64, MaxPositionEmbeddings = 128, RmsNormEps = 1e-5, TieWordEmbeddings = true,
            },
            _ => throw new ArgumentException($"architecture '{architecture}': gpt2 or llama", nameof(architecture)),
        };
        random.manual_seed(0);
        using var model = ModelArchitectures.Create(config);
        random.manual_seed(1);
        using var other = ModelArchitectures.Create(config);
        var ours = new TorchLanguageModel(model, tokenizer, batchSize, conventions.Options);
        var naive = new TorchLanguageModel(model, tokenizer, 1, conventions.Options, kvCache: false, logitsCache: false);
        var reference = new TorchLanguageModel(other, tokenizer, batchSize, conventions.Options);
        var naiveReference = new TorchLanguageModel(other, tokenizer, 1, conventions.Options, kvCache: false, logitsCache: false);
        var sharing = new TorchLanguageModel(model, tokenizer, batchSize, conventions.Options, shareContexts: true);
        var evaluator = new SuiteEvaluator(conventions);
        var suites = world.Suites.BuiltIn().ToDictionary(s => s.Name);
        var results = new List<EvaluationBenchmarkResult>();
        foreach (var name in new[] { "capitals_mc", "capitals_recall", "text_perplexity", "kl_to_base" })
        {
            var suite = suites[name] with { Items = suites[name].Items.Take(items).ToList() };
            var kl = suite.Kind == SuiteKinds.KlToBase;
            // Both scorers warm up (first calls of each shape path), so neither side's timing carries a one-off cost.
            evaluator.Evaluate(ours, suite with { Items = suite.Items.Take(2).ToList() }, kl ? reference : null);
            evaluator.Evaluate(naive, suite with { Items = suite.Items.Take(2).ToList() }, kl ? naiveReference : null);
            var (fast, seconds) = Timed(() => evaluator.Evaluate(ours, suite, kl ? reference : null));
            var (slow, naiveSeconds) = Timed(() => evaluator.Evaluate(naive, suite, kl ? naiveReference : null));
            var a = fast.Outcomes.Values;
            var b = slow.Outcomes.Values;
            results.Add(new EvaluationBenchmarkResult(suite.Kind, name, suite.Items.Count, seconds, naiveSeconds,
                a.SequenceEqual(b) && fast.Responses.SequenceEqual(slow.Responses), a.Zip(b, (x, y) => Math.Abs(x - y)).Max()));
        }

        // Multiple choice once more in 5-shot form (each prompt after five other items with their answers, as MMLU is run),
        // batched but without the shared context: what sharing adds on top of batching where contexts are long.
        var all = suites["capitals_mc"].Items;
        var mc = suites["capitals_mc"] with
        {
            Items = all.Take(items).Select((item, i) => item with
            {
                Prompt = string.Join(" ", Enumerable.Range(1, 5).Select(k => all[(i + k) % all.Count]).Select(o => $"{o.Prompt} {o.Choices[o.Gold]} .")) + " " + item.Prompt,
            }).ToList(),
        };
        evaluator.Evaluate(sharing, mc with { Items = mc.Items.Take(2).ToList() });   // warm-up
        var (shared, sharedSeconds) = Timed(() => evaluator.Evaluate(sharing, mc));
        var (whole, wholeSeconds) = Timed(() => evaluator.Evaluate(ours, mc));
        results.Add(new EvaluationBenchmarkResult($"{SuiteKinds.MultipleChoice} 5-shot, shared context against whole sequences batched", "capitals_mc", mc.Items.Count,
            sharedSeconds, wholeSeconds, shared.Outcomes.Values.SequenceEqual(whole.Outcomes.Values) && shared.Responses.SequenceEqual(whole.Responses),
            shared.Outcomes.Values.Zip(whole.Outcomes.Values, (x, y) => Math.Abs(x - y)).Max()));
        return results;
    }

    private static (T Result, double Seconds) Timed<T>(Func<T> action)
    {
        var clock = Stopwatch.StartNew();
        var result = action();
        return (result, clock.Elapsed.TotalSeconds);
    }
}
