using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Rl;
using ForgetLab.Lab.Tokenization;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Evaluation;

/// <summary>
/// <see cref="ILanguageModel"/> over a <see cref="CausalLanguageModel"/>, scoring as lm-evaluation-harness's Hugging
/// Face model does (<see cref="LmEvalTokenization"/> for the strings; <c>_loglikelihood_tokens</c> for the scores):
/// requests sorted by length, right-padded (causal attention makes trailing padding harmless), one forward per batch,
/// the requests of one context sharing a row (<c>logits_cache</c>).
/// Generation is greedy with a <see cref="KvCache"/>, batching prompts of equal token length so positions line up.
/// </summary>
/// <param name="kvCache">false: generation recomputes the whole sequence for every new token, one prompt at a time
/// (the naive scorer <c>forgetlab bench eval</c> compares against; with <paramref name="batchSize"/> 1 and no logits cache no request
/// shares a forward either)</param>
/// <param name="shareContexts">true: the choices of a multiple-choice item with a context of at least
/// <see cref="SharedContextMinTokens"/> tokens are scored from one forward of that context. Off by default: beside the
/// logits cache it measured only 1.1–1.3× the whole-sequence batches on 5-shot prompts (docs/benchmarks.md), since the
/// cache holds no padding, so only contexts of equal length share a batch and the forwards get many and small</param>
/// <param name="logitsCache">lm-eval's <c>logits_cache</c> (on there by default too): requests of one context whose
/// inputs are equal, or one a prefix of another, are scored from one row of one forward. false: a row per request (the
/// naive scorer's one forward per (context, choice))</param>
public sealed class TorchLanguageModel(
    CausalLanguageModel model, ITokenizer tokenizer, int batchSize = 64, LmEvalOptions? options = null, bool kvCache = true, bool shareContexts = false,
    bool logitsCache = true) : ILanguageModel
{
    private readonly LmEvalTokenization encoding = new(tokenizer, options);

    public CausalLanguageModel Model => model;

    /// <summary>How this model's requests become ids.</summary>
    public LmEvalTokenization Encoding => encoding;

    /// <summary><c>max_length</c>: the option, else the model's positions.</summary>
    public int MaxLength => options?.MaxLength ?? model.Config.MaxPositions;

    /// <summary>The ids generation stops at: the folder's stop ids (EOS and <c>generation_config.json</c>'s), else EOS.</summary>
    public IReadOnlyList<int> StopIds => tokenizer is PretrainedTokenizer pretrained ? pretrained.StopIds : tokenizer.EosId is { } eos ? [eos] : [];

    public IReadOnlyList<LoglikelihoodResult> Loglikelihood(IReadOnlyList<LoglikelihoodRequest> requests) =>
        LoglikelihoodTokens(requests.Select((r, i) => Checked(encoding.EncodePair(r.Context, r.Continuation), i)).ToList());

    public IReadOnlyList<RollingResult> LoglikelihoodRolling(IReadOnlyList<string> texts)
    {
        var windows = texts.Select(t => encoding.RollingWindows(t, MaxLength)).ToList();
        var scores = LoglikelihoodTokens(windows.SelectMany(w => w).ToList());
        var results = new RollingResult[texts.Count];
        var k = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            var own = scores.Skip(k).Take(windows[i].Count).ToList();
            k += own.Count;
            results[i] = new RollingResult(-own.Sum(s => s.LogProb), own.Sum(s => s.Tokens));
        }
        return results;
    }

    /// <summary>
    /// lm-eval's <c>generate_until</c> with greedy decoding: each prompt encoded as <c>tok_batch_encode</c> does and cut
    /// from the left to <c>max_length − maxNewTokens</c>, continued until a stop id or one of the stop strings
    /// (<paramref name="until"/> and the EOS token's text), decoded without special tokens and cut before the stops.
    /// </summary>
    public IReadOnlyList<string> GenerateUntil(IReadOnlyList<string> prompts, IReadOnlyList<string> until, int maxNewTokens)
    {
        var contextLength = MaxLength - maxNewTokens;
        if (contextLength <= 0)
            throw new ArgumentException($"max new tokens ({maxNewTokens}) must be below the model's maximum length ({MaxLength})", nameof(maxNewTokens));
        var stops = encoding.StopStrings(until);
        var encoded = prompts.Select(p => encoding.EncodePrompt(p, contextLength)).ToList();
        var generated = GreedyTokens(encoded, maxNewTokens, tokens => stops.Any(s => s.Length > 0 && tokenizer.Decode(tokens).Contains(s, StringComparison.Ordinal)));
        return generated.Select(tokens => LmEvalTokenization.CutAtStops(tokenizer.Decode(tokens, skipSpecialTokens: true), stops)).ToList();
    }

    /// <summary>
    /// Greedy continuations of token prompts, as transformers' <c>generate(do_sample=False)</c> makes them: each row
    /// ends with the first stop id it produces (kept, as <c>generate</c> keeps it) or when <paramref name="stopped"/>
    /// says its tokens so far are enough, else after <paramref name="maxNewTokens"/>. Prompts of equal length run as
    /// one batch through a <see cref="KvCache"/>: the prompt once, then one position per step.
    /// </summary>
    /// <param name="stopIds">the ids a row ends at; default <see cref="StopIds"/></param>
    public IReadOnlyList<int[]> GreedyTokens(IReadOnlyList<int[]> prompts, int maxNewTokens, Func<int[], bool>? stopped = null, IReadOnlyCollection<int>? stopIds = null) =>
        ContinueTokens(prompts, maxNewTokens, null, stopped, stopIds);

    /// <summary>
    /// Sampled continuations (transformers' <c>generate(do_sample=True)</c> with temperature and top-p, <see cref="TokenSampler"/>),
    /// through the same cached loop as <see cref="GreedyTokens"/>: rows end at their first stop id or after
    /// <paramref name="maxNewTokens"/>. The draws come from the sampler's own seeded state, so a run that saves it resumes exactly.
    /// </summary>
    public IReadOnlyList<int[]> SampledTokens(IReadOnlyList<int[]> prompts, int maxNewTokens, TokenSampler sampler, IReadOnlyCollection<int>? stopIds = null) =>
        ContinueTokens(prompts, maxNewTokens, sampler, null, stopIds);

    private IReadOnlyList<int[]> ContinueTokens(IReadOnlyList<int[]> prompts, int maxNewTokens, TokenSampler? sampler, Func<int[], bool>? stopped, IReadOnlyCollection<int>? stopIds)
    {
        var stops = (stopIds ?? StopIds).ToHashSet();
        var outputs = new int[prompts.Count][];
        foreach (var (i, prompt) in prompts.Index())
        {
            if (prompt.Length == 0) throw new ArgumentException($"prompt {i + 1} encodes to no tokens: generation needs at least one", nameof(prompts));
            if (prompt.Length + maxNewTokens > model.Config.MaxPositions)
                throw new ArgumentException($"prompt {i + 1} has {prompt.Length} tokens: with {maxNewTokens} new ones it passes the model's {model.Config.MaxPositions} positions", nameof(prompts));
        }
        model.eval();
        using var _ = no_grad();
        if (!kvCache && sampler is null)
        {
            for (var i = 0; i < prompts.Count; i++) outputs[i] = Uncached(prompts[i], maxNewTokens, stopped, stops);
            return outputs;
        }
        foreach (var group in Enumerable.Range(0, prompts.Count).GroupBy(i => prompts[i].Length))
        foreach (var batch in group.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            using var cache = new KvCache();
            var generated = batch.Select(_ => new List<int>()).ToArray();
            var done = new bool[batch.Length];
            var input = Rows(batch.Select(i => prompts[i].Select(t => (long)t).ToArray()).ToList(), 0);   // (B, T)
            for (var step = 0; step < maxNewTokens; step++)
            {
                var last = model.Forward(input, cache)[.., -1, ..];                                          // (B, V)
                var next = sampler is null ? last.argmax(-1) : tensor(sampler.Choose(last)).to(last.device); // (B)
                var values = next.data<long>().ToArray();
                for (var b = 0; b < batch.Length; b++)
                {
                    if (done[b]) continue;
                    generated[b].Add((int)values[b]);
                    done[b] = stops.Contains((int)values[b]) || (stopped?.Invoke([.. generated[b]]) ?? false);
                }
                if (done.All(d => d)) break;
                input = next.unsqueeze(1);                                                                     // (B, 1)
            }
            for (var b = 0; b < batch.Length; b++) outputs[batch[b]] = [.. generated[b]];
        }
        return outputs;
    }

    /// <summary>The naive loop: the whole sequence through a plain forward for every new token.</summary>
    private int[] Uncached(int[] prompt, int maxNewTokens, Func<int[], bool>? stopped, HashSet<int> stops)
    {
        var tokens = prompt.Select(t => (long)t).ToList();
        var generated = new List<int>();
        for (var step = 0; step < maxNewTokens; step++)
        {
            using var scope = NewDisposeScope();
            var next = (int)model.forward(tensor(tokens.ToArray(), [1, tokens.Count]))[0, -1].argmax().item<long>();
            generated.Add(next);
            if (stops.Contains(next) || (stopped?.Invoke([.. generated]) ?? false)) break;
            tokens.Add(next);
        }
        return [.. generated];
    }

    public IReadOnlyList<double> KlFrom(ILanguageModel reference, IReadOnlyList<string> texts)
    {
        if (reference is not TorchLanguageModel other)
            throw new ArgumentException("KL needs the reference's logits: both models must be TorchLanguageModel.", nameof(reference));
        var encoded = texts.Select(t => Fit(encoding.TokEncode(t).Select(x => (long)x).ToArray())).ToList();
        var results = new double[texts.Count];
        foreach (var batch in Batches(Enumerable.Range(0, texts.Count).OrderByDescending(i => encoded[i].Length)))
        {
            using var scope = NewDisposeScope();
            var rows = batch.Select(i => encoded[i]).ToList();
            var mine = ForwardLogProbs(rows);                                          // (B, T, V)
            var theirs = other.ForwardLogProbs(rows);                                  // (B, T, V)
            var kl = theirs.exp().mul(theirs - mine).sum(-1);                         // (B, T): KL(reference ‖ this) per position
            for (var b = 0; b < batch.Count; b++)
                results[batch[b]] = kl[b].narrow(0, 0, rows[b].Length).mean().item<float>();
        }
        return results;
    }

    /// <summary>
    /// lm-eval's <c>_loglikelihood_tokens</c>: each (context, continuation) pair's input is the last
    /// <c>max_length + 1</c> tokens of both without the final one; the continuation's log-probability is the sum over
    /// its tokens, greedy when every one of them is the argmax at its position.
    /// </summary>
    internal IReadOnlyList<LoglikelihoodResult> LoglikelihoodTokens(IReadOnlyList<(int[] Context, int[] Continuation)> pairs)
    {
        var results = new LoglikelihoodResult[pairs.Count];
        var separate = kvCache && shareContexts ? SharedContexts(pairs, results) : Enumerable.Range(0, pairs.Count).ToList();
        var rest = PerSequence(separate.Select(i => pairs[i]).ToList());
        for (var k = 0; k < separate.Count; k++) results[separate[k]] = rest[k];
        return results;
    }

    /// <summary>
    /// Requests that share their context ids (the choices of one multiple-choice item) and fit without truncation are
    /// scored from one forward of the context: its last position's log-probabilities score every continuation's first
    /// token, and the continuations' other tokens run over the context's cached keys and values. Contexts of equal
    /// length go through as one batch (the cache holds no padding), their continuations as another. The same numbers as
    /// one forward per (context, continuation), up to float rounding. Fills those results; returns the rest.
    /// </summary>
    /// <summary>
    /// The shortest context shared when sharing is on. Below it the whole sequences are cheap, and fewer, larger forwards
    /// (every choice of 16 items in one batch of 64) beat the shared path's one forward per context length.
    /// </summary>
    internal int SharedContextMinTokens { get; init; } = 32;

    /// <summary>How many context batches were scored through the shared path (for tests that must know it ran).</summary>
    internal int SharedContextBatches { get; private set; }

    private List<int> SharedContexts(IReadOnlyList<(int[] Context, int[] Continuation)> pairs, LoglikelihoodResult[] results)
    {
        var separate = new List<int>();
        var shared = new List<(int[] Context, List<int> Members)>();
        foreach (var group in Enumerable.Range(0, pairs.Count).GroupBy(i => pairs[i].Context, ContextIds.Instance))
        {
            var members = group.ToList();
            if (members.Count < 2 || group.Key.Length < SharedContextMinTokens || group.Key.Length + members.Max(i => pairs[i].Continuation.Length) > MaxLength + 1)
                separate.AddRange(members);
            else
                shared.Add((group.Key, members));
        }
        foreach (var sameLength in shared.GroupBy(s => s.Context.Length))
            foreach (var batch in sameLength.Chunk(Math.Max(1, batchSize / 4)))
                ScoreFromSharedContexts(batch, pairs, results);
        return separate;
    }

    private void ScoreFromSharedContexts(IReadOnlyList<(int[] Context, List<int> Members)> items, IReadOnlyList<(int[] Context, int[] Continuation)> pairs, LoglikelihoodResult[] results)
    {
        SharedContextBatches++;
        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var contexts = new KvCache();
        using var ids = Rows([.. items.Select(c => c.Context.Select(t => (long)t).ToArray())], tokenizer.PadOrEos());   // equal lengths: no padding
        var first = nn.functional.log_softmax(model.Forward(ids, contexts).select(1, -1), -1);                       // (C, V): each first continuation token
        var firstGreedy = first.argmax(-1);                                                                          // (C)

        // Continuations of two or more tokens: their other tokens over their own item's cached context, right-padded.
        var longer = items.SelectMany((item, c) => item.Members.Where(i => pairs[i].Continuation.Length > 1).Select(i => (Item: (long)c, Index: i))).ToList();
        foreach (var chunk in longer.Chunk(batchSize))
        {
            using var cache = contexts.Select([.. chunk.Select(l => l.Item)]);
            using var tokens = Rows([.. chunk.Select(l => pairs[l.Index].Continuation[..^1].Select(t => (long)t).ToArray())], tokenizer.PadOrEos());
            var logProbs = nn.functional.log_softmax(model.Forward(tokens, cache), -1);                            // (B, T, V); padding trails every real position
            for (var b = 0; b < chunk.Length; b++)
            {
                var (c, index) = ((int)chunk[b].Item, chunk[b].Index);
                var cont = pairs[index].Continuation;
                using var targets = tensor(cont[1..].Select(t => (long)t).ToArray());
                var own = logProbs[b].narrow(0, 0, cont.Length - 1);                                                 // (Lc − 1, V)
                var logProb = first[c, cont[0]].item<float>() + own.gather(1, targets.unsqueeze(1)).sum().item<float>();
                var greedy = firstGreedy[c].item<long>() == cont[0] && own.argmax(-1).eq(targets).all().item<bool>();
                results[index] = new LoglikelihoodResult(logProb, greedy, cont.Length);
            }
        }

        for (var c = 0; c < items.Count; c++)
            foreach (var index in items[c].Members.Where(i => pairs[i].Continuation.Length == 1))
            {
                var token = pairs[index].Continuation[0];
                results[index] = new LoglikelihoodResult(first[c, token].item<float>(), firstGreedy[c].item<long>() == token, 1);
            }
    }

    /// <summary>
    /// One right-padded forward per batch of whole (context + continuation) sequences, longest first. Only the positions
    /// that predict a continuation token go through the LM head and log-softmax (lm-eval takes those rows of the full
    /// logits: the same numbers up to the matrix product's rounding), and a batch's log-probabilities and greedy flags
    /// come back in one copy each: a handful of tensor ops per batch rather than per request. With a few tokens per
    /// request the head over every position (vocabulary × width per token) and the per-request ops were most of the time.
    /// With <c>logitsCache</c>, requests of one context share a row (<see cref="SharedRows"/>).
    /// </summary>
    private LoglikelihoodResult[] PerSequence(IReadOnlyList<(int[] Context, int[] Continuation)> pairs)
    {
        var inputs = pairs.Select(p =>
        {
            var whole = p.Context.Concat(p.Continuation).Select(t => (long)t).ToArray();
            return whole[Math.Max(0, whole.Length - (MaxLength + 1))..^1];
        }).ToArray();
        var results = new LoglikelihoodResult[pairs.Count];
        if (pairs.Count == 0) return results;
        var (rows, members) = SharedRows(pairs, inputs);
        ScoredRows += rows.Count;
        model.eval();
        using var _ = no_grad();
        foreach (var batch in Batches(Enumerable.Range(0, rows.Count).OrderByDescending(r => rows[r].Length)))
        {
            using var scope = NewDisposeScope();
            var batchRows = batch.Select(r => rows[r]).ToList();
            var width = batchRows.Max(r => r.Length);
            var positions = new List<long>();                                          // flat (b · T + t) of each distinct position the head scores
            var slot = new Dictionary<long, int>();
            var picks = new List<(int Request, int Position, long Target)>();          // per request token: its position's slot and target
            for (var b = 0; b < batch.Count; b++)
                foreach (var i in members[batch[b]])
                {
                    var cont = pairs[i].Continuation;
                    var first = (long)b * width + inputs[i].Length - cont.Length;
                    for (var j = 0; j < cont.Length; j++)
                    {
                        if (!slot.TryGetValue(first + j, out var s))
                        {
                            slot[first + j] = s = positions.Count;
                            positions.Add(first + j);
                        }
                        picks.Add((i, s, cont[j]));
                    }
                }
            using var ids = Rows(batchRows, tokenizer.PadOrEos());
            var hidden = model.HiddenStates(ids);                                      // (B, T, C)
            using var index = tensor(positions.ToArray());
            var logits = model.Logits(hidden.reshape(-1, hidden.shape[^1]).index_select(0, index));                   // (N, V)
            var logProbs = nn.functional.log_softmax(logits, -1);                                                      // (N, V)
            var vocabulary = logProbs.shape[1];
            using var flat = tensor(picks.Select(p => p.Position * vocabulary + p.Target).ToArray());
            var picked = logProbs.reshape(-1).index_select(0, flat).data<float>().ToArray();                          // (picks)
            var argmax = logProbs.argmax(-1).data<long>().ToArray();                                                   // (N)
            var (sums, greedy) = (new Dictionary<int, double>(), new Dictionary<int, bool>());
            for (var k = 0; k < picks.Count; k++)
            {
                var (i, s, target) = picks[k];
                sums[i] = sums.GetValueOrDefault(i) + picked[k];
                greedy[i] = greedy.GetValueOrDefault(i, true) && argmax[s] == target;
            }
            foreach (var i in sums.Keys) results[i] = new LoglikelihoodResult(sums[i], greedy[i], pairs[i].Continuation.Length);
        }
        return results;
    }

    /// <summary>
    /// The rows one forward each scores, and the requests each row serves. Without <c>logitsCache</c>, a row per request.
    /// With it, as lm-eval's Hugging Face model does with <c>logits_cache</c> (its <c>group_by="contexts"</c>): requests
    /// of one context whose inputs are equal (every one-token choice of an item: its input is the context) share one
    /// row. Here also one whose input is a prefix of another's (a one-token choice beside a longer one): under causal
    /// attention a position's logits depend on the tokens up to it only, so they are the same numbers as its own row's,
    /// up to the matrix product's rounding.
    /// </summary>
    private (List<long[]> Rows, List<List<int>> Members) SharedRows(IReadOnlyList<(int[] Context, int[] Continuation)> pairs, long[][] inputs)
    {
        var rows = new List<long[]>();
        var members = new List<List<int>>();
        if (!logitsCache)
        {
            for (var i = 0; i < pairs.Count; i++)
            {
                rows.Add(inputs[i]);
                members.Add([i]);
            }
            return (rows, members);
        }
        foreach (var group in Enumerable.Range(0, pairs.Count).GroupBy(i => pairs[i].Context, ContextIds.Instance))
        {
            var own = new List<int>();                                                 // this context's rows
            foreach (var i in group.OrderByDescending(i => inputs[i].Length))
            {
                var r = own.FirstOrDefault(r => rows[r].AsSpan().StartsWith(inputs[i].AsSpan()), -1);
                if (r < 0)
                {
                    own.Add(r = rows.Count);
                    rows.Add(inputs[i]);
                    members.Add([]);
                }
                members[r].Add(i);
            }
        }
        return (rows, members);
    }

    /// <summary>Rows of one forward each that <see cref="PerSequence"/> scored (for tests that must know the logits cache shared them).</summary>
    internal int ScoredRows { get; private set; }

    /// <summary>Log-softmax over the vocabulary for right-padded rows: (B, T, V).</summary>
    internal Tensor ForwardLogProbs(IReadOnlyList<long[]> rows)
    {
        model.eval();
        using var _ = no_grad();
        using var ids = Rows(rows, tokenizer.PadOrEos());
        return nn.functional.log_softmax(model.forward(ids), -1);
    }

    private (int[] Context, int[] Continuation) Checked((int[] Context, int[] Continuation) pair, int index)
    {
        if (pair.Continuation.Length == 0)
            throw new ArgumentException($"request {index + 1}: the continuation adds no tokens to the context, so there is nothing to score");
        if (pair.Continuation.Length > MaxLength)
            throw new ArgumentException($"request {index + 1}: the continuation has {pair.Continuation.Length} tokens, more than the model's maximum length {MaxLength}");
        return pair;
    }

    /// <summary>Rows right-padded with <paramref name="pad"/> into one (B, T) tensor.</summary>
    private static Tensor Rows(IReadOnlyList<long[]> rows, long pad)
    {
        var width = rows.Max(r => r.Length);
        var data = new long[rows.Count * width];
        Array.Fill(data, pad);
        for (var b = 0; b < rows.Count; b++) rows[b].CopyTo(data, b * width);
        return tensor(data, [rows.Count, width]);
    }

    /// <summary>Keeps the last <see cref="MaxLength"/> tokens.</summary>
    private long[] Fit(long[] tokens) => tokens.Length <= MaxLength ? tokens : tokens[^MaxLength..];

    private IEnumerable<List<int>> Batches(IEnumerable<int> order) => order.Chunk(batchSize).Select(c => c.ToList());

    /// <summary>Context ids compared by value: requests of one item encode the same context to equal, separate arrays.</summary>
    private sealed class ContextIds : IEqualityComparer<int[]>
    {
        public static readonly ContextIds Instance = new();

        public bool Equals(int[]? x, int[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] ids)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ids.AsSpan()));
            return hash.ToHashCode();
        }
    }
}
