using ForgetLab.Lab.Model;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Tokenization;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Evaluation;

/// <summary>
/// <see cref="ILanguageModel"/> over a <see cref="CausalLanguageModel"/>. Requests are batched: sorted by length
/// and right-padded (causal attention makes trailing padding harmless), one forward per batch rather
/// than one per choice; generation batches prompts of equal token length so positions line up.
/// Every text starts with the end-of-text token, as every pre-training document does.
/// </summary>
public sealed class TorchLanguageModel(CausalLanguageModel model, ITokenizer tokenizer, int batchSize = 64) : ILanguageModel
{
    public CausalLanguageModel Model => model;

    public IReadOnlyList<LoglikelihoodResult> Loglikelihood(IReadOnlyList<LoglikelihoodRequest> requests)
    {
        var encoded = requests.Select(r => (Context: Encode(r.Context), Continuation: tokenizer.EncodeText(r.Continuation).Select(t => (long)t).ToArray())).ToList();
        var results = new LoglikelihoodResult[requests.Count];
        foreach (var batch in Batches(Enumerable.Range(0, requests.Count).OrderByDescending(i => encoded[i].Context.Length + encoded[i].Continuation.Length)))
        {
            using var scope = NewDisposeScope();
            var rows = batch.Select(i => Fit(encoded[i].Context.Concat(encoded[i].Continuation).ToArray())).ToList();
            var logProbs = ForwardLogProbs(rows);                                     // (B, T, V)
            var predicted = logProbs.argmax(-1);                                       // (B, T)
            for (var b = 0; b < batch.Count; b++)
            {
                var i = batch[b];
                var cont = encoded[i].Continuation;
                var row = rows[b];
                var first = row.Length - cont.Length - 1; // position predicting the first continuation token
                using var positions = arange(first, row.Length - 1, dtype: ScalarType.Int64);
                using var targets = tensor(cont);
                var picked = logProbs[b].index_select(0, positions).gather(1, targets.unsqueeze(1)).squeeze(1);
                var greedy = predicted[b].index_select(0, positions).eq(targets).all().item<bool>();
                results[i] = new LoglikelihoodResult(picked.sum().item<float>(), greedy, cont.Length);
            }
        }
        return results;
    }

    public IReadOnlyList<RollingResult> LoglikelihoodRolling(IReadOnlyList<string> texts)
    {
        var encoded = texts.Select(t => Fit(Encode(t))).ToList();
        var results = new RollingResult[texts.Count];
        foreach (var batch in Batches(Enumerable.Range(0, texts.Count).OrderByDescending(i => encoded[i].Length)))
        {
            using var scope = NewDisposeScope();
            var rows = batch.Select(i => encoded[i]).ToList();
            var logProbs = ForwardLogProbs(rows);                                     // (B, T, V)
            for (var b = 0; b < batch.Count; b++)
            {
                var row = rows[b];
                var n = row.Length - 1;
                using var targets = tensor(row[1..]);
                var nll = -logProbs[b].narrow(0, 0, n).gather(1, targets.unsqueeze(1)).sum().item<float>();
                results[batch[b]] = new RollingResult(nll, n);
            }
        }
        return results;
    }

    public IReadOnlyList<string> GenerateUntil(IReadOnlyList<string> prompts, string until, int maxNewTokens)
    {
        var stop = tokenizer.EncodeText(until).Single();
        var eos = tokenizer.RequireEos();
        var encoded = prompts.Select(Encode).ToList();
        var outputs = new string[prompts.Count];
        model.eval();
        using var _ = no_grad();
        foreach (var group in Enumerable.Range(0, prompts.Count).GroupBy(i => encoded[i].Length))
        foreach (var batch in group.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            var width = group.Key;
            var data = new long[batch.Length * width];
            for (var b = 0; b < batch.Length; b++) encoded[batch[b]].CopyTo(data, b * width);
            var ids = tensor(data, [batch.Length, width]);
            var generated = new List<long>[batch.Length];
            for (var b = 0; b < batch.Length; b++) generated[b] = [];
            var done = new bool[batch.Length];
            for (var k = 0; k < maxNewTokens && !done.All(d => d); k++)
            {
                var window = ids.shape[1] > model.Config.MaxPositions ? ids[.., ^model.Config.MaxPositions..] : ids;
                var next = model.forward(window)[.., -1, ..].argmax(-1);                // (B)
                var values = next.data<long>().ToArray();
                for (var b = 0; b < batch.Length; b++)
                {
                    if (done[b]) continue;
                    if (values[b] == stop || values[b] == eos) done[b] = true;
                    else generated[b].Add(values[b]);
                }
                ids = cat([ids, next.unsqueeze(1)], 1);
            }
            for (var b = 0; b < batch.Length; b++) outputs[batch[b]] = tokenizer.Decode([.. generated[b].Select(t => (int)t)], skipSpecialTokens: true);
        }
        return outputs;
    }

    public IReadOnlyList<double> KlFrom(ILanguageModel reference, IReadOnlyList<string> texts)
    {
        if (reference is not TorchLanguageModel other)
            throw new ArgumentException("KL needs the reference's logits: both models must be TorchLanguageModel.", nameof(reference));
        var encoded = texts.Select(t => Fit(Encode(t))).ToList();
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

    /// <summary>Log-softmax over the vocabulary for right-padded rows: (B, T, V).</summary>
    internal Tensor ForwardLogProbs(IReadOnlyList<long[]> rows)
    {
        model.eval();
        using var _ = no_grad();
        var width = rows.Max(r => r.Length);
        var data = new long[rows.Count * width];
        Array.Fill(data, (long)tokenizer.PadOrEos());
        for (var b = 0; b < rows.Count; b++) rows[b].CopyTo(data, b * width);
        using var ids = tensor(data, [rows.Count, width]);
        return nn.functional.log_softmax(model.forward(ids), -1);
    }

    private long[] Encode(string text) => [tokenizer.RequireEos(), .. tokenizer.EncodeText(text).Select(t => (long)t)];

    /// <summary>Keeps the last n_positions tokens: context is dropped from the left, the answer never is.</summary>
    private long[] Fit(long[] tokens) => tokens.Length <= model.Config.MaxPositions ? tokens : tokens[^model.Config.MaxPositions..];

    private IEnumerable<List<int>> Batches(IEnumerable<int> order) => order.Chunk(batchSize).Select(c => c.ToList());
}
