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
    public static IReadOnlyList<EvaluationBenchmarkResult> Run(int items = 64, int batchSize = 64, int? threads = null)
    {
        if (threads is { } t) set_num_threads(t);
        var world = BuiltInWorld.Load();
        var tokenizer = world.BuildTokenizer();
        var conventions = EvaluationConventions.LabDocuments(tokenizer);
        random.manual_seed(0);
        using var model = new GptModel(new GptConfig { VocabSize = tokenizer.VocabSize, NPositions = 128, NEmbd = 256, NLayer = 4, NHead = 4 });
        random.manual_seed(1);
        using var other = new GptModel(model.Config);
        var ours = new TorchLanguageModel(model, tokenizer, batchSize, conventions.Options);
        var naive = new TorchLanguageModel(model, tokenizer, 1, conventions.Options, kvCache: false);
        var reference = new TorchLanguageModel(other, tokenizer, batchSize, conventions.Options);
        var naiveReference = new TorchLanguageModel(other, tokenizer, 1, conventions.Options, kvCache: false);
        var unshared = new TorchLanguageModel(model, tokenizer, batchSize, conventions.Options, shareContexts: false);
        var evaluator = new SuiteEvaluator(conventions);
        var suites = world.Suites.BuiltIn().ToDictionary(s => s.Name);
        var results = new List<EvaluationBenchmarkResult>();
        foreach (var name in new[] { "capitals_mc", "capitals_recall", "text_perplexity", "kl_to_base" })
        {
            var suite = suites[name] with { Items = suites[name].Items.Take(items).ToList() };
            var kl = suite.Kind == SuiteKinds.KlToBase;
            evaluator.Evaluate(ours, suite with { Items = suite.Items.Take(2).ToList() }, kl ? reference : null); // warm-up
            var (fast, seconds) = Timed(() => evaluator.Evaluate(ours, suite, kl ? reference : null));
            var (slow, naiveSeconds) = Timed(() => evaluator.Evaluate(naive, suite, kl ? naiveReference : null));
            var a = fast.Outcomes.Values;
            var b = slow.Outcomes.Values;
            results.Add(new EvaluationBenchmarkResult(suite.Kind, name, suite.Items.Count, seconds, naiveSeconds,
                a.SequenceEqual(b) && fast.Responses.SequenceEqual(slow.Responses), a.Zip(b, (x, y) => Math.Abs(x - y)).Max()));
        }

        // Multiple choice once more, batched but without the shared context: what sharing adds on top of batching.
        var mc = suites["capitals_mc"] with { Items = suites["capitals_mc"].Items.Take(items).ToList() };
        var (shared, sharedSeconds) = Timed(() => evaluator.Evaluate(ours, mc));
        var (whole, wholeSeconds) = Timed(() => evaluator.Evaluate(unshared, mc));
        results.Add(new EvaluationBenchmarkResult($"{SuiteKinds.MultipleChoice}, shared context against whole sequences batched", "capitals_mc", mc.Items.Count,
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
