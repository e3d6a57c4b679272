using ForgetLab.Core.Python;

namespace ForgetLab.Lab.Suites.LmEval;

/// <summary>
/// lm-eval's <c>ContextSampler</c> (sampler <c>default</c>) and <c>FirstNSampler</c> (<c>first_n</c>), from
/// lm_eval/api/samplers.py (0.4.10). The default one holds one <c>random.Random(seed)</c> per task (lm-eval's
/// <c>--fewshot_random_seed</c>, 1234 unless set) and is asked once per evaluated document, in order, so each
/// document's examples depend on every draw before it. With the document to leave out it draws n + 1 and drops
/// every drawn document equal to it (by value, as Python compares dicts).
/// </summary>
internal sealed class FewshotSampler(IReadOnlyList<OrderedDictionary<string, object?>> docs, string kind, long seed)
{
    private readonly PythonRandom _random = new(seed);

    /// <summary>The positions (in the few-shot split) of the n documents to show before <paramref name="evalDoc"/>.</summary>
    public IReadOnlyList<int> Sample(int n, OrderedDictionary<string, object?>? evalDoc)
    {
        if (n == 0) return [];
        if (kind == "first_n")
        {
            if (n > docs.Count) throw new InvalidDataException($"num_fewshot is {n}, but the few-shot split has only {docs.Count} documents.");
            return [.. Enumerable.Range(0, n)];
        }
        var positions = Enumerable.Range(0, docs.Count).ToList();
        var k = evalDoc is null ? n : n + 1;
        if (k > docs.Count)
            throw new InvalidDataException($"num_fewshot is {n}, but the few-shot split has {docs.Count} documents, and lm-eval draws {k}{(evalDoc is null ? "" : " (one more, to leave the evaluated document out)")}: Python's random.sample refuses a sample larger than the population.");
        var drawn = _random.Sample(positions, k);
        if (evalDoc is null) return drawn;
        var kept = drawn.Where(p => !LmEvalValues.PythonEqual(docs[p], evalDoc)).Take(n).ToList();
        return kept.Count == n ? kept
            : throw new InvalidDataException($"the few-shot split holds the evaluated document more than once, so lm-eval would have fewer than {n} examples for it (its sampler asserts).");
    }
}
