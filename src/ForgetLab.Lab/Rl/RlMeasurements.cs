using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs.Rl;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Model;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Rl;

/// <summary>
/// Measures a reward-fine-tuned checkpoint (<see cref="RlMeasurement"/>): one completion per prompt sampled at the
/// run's temperature and top-p from a sampler seeded by the run's seed and the step (so the measurement neither
/// disturbs nor depends on the training RNG), scored by the run's reward on train and held-out prompts; on those
/// completions the exact KL(π ‖ π_base) = Σ_v π log(π/π_base) and entropy at every completion position; and the
/// same KL on general text. Exact sums over the vocabulary rather than sampled estimates: the report's number
/// should not carry the estimator's noise.
/// </summary>
public sealed class RlMeasurements(
    RlSpec rl, ITokenizer tokenizer, RewardFunction? reward, IReadOnlyList<RlPrompt> trainPrompts, IReadOnlyList<RlPrompt> heldOutPrompts,
    IReadOnlyList<int[]> generalText, int seed)
{
    private readonly int eos = tokenizer.EosId ?? throw new InvalidOperationException("reward fine-tuning needs a tokenizer with an EOS token");

    public RlMeasurement Measure(CausalLanguageModel policy, CausalLanguageModel baseModel, int step, double beta)
    {
        var sampler = new TokenSampler(rl.Temperature, rl.TopP, (ulong)seed * 0xD1B54A32D192ED03UL + (ulong)step);
        var lm = new TorchLanguageModel(policy, tokenizer, batchSize: 64);
        var train = trainPrompts.Take(rl.MeasurePrompts).ToList();
        var held = heldOutPrompts.Take(rl.MeasurePrompts).ToList();
        var all = train.Concat(held).ToList();
        var completions = lm.SampledTokens(all.Select(p => p.Tokens).ToList(), rl.MaxCompletionLength, sampler, [eos]);
        RewardMeasurement? Reward(int from, int count) =>
            reward is null || count == 0 ? null : Summarise(reward.ScoreAll(Enumerable.Range(from, count).Select(i => new Completion(Text(completions[i]), completions[i].Length, all[i].Reference)
            {
                PromptIds = all[i].Tokens, CompletionIds = completions[i].Length > 0 && completions[i][^1] == eos ? completions[i][..^1] : completions[i],
            }).ToList()));

        var (kl, entropy) = OnCompletions(policy, baseModel, all.Select(p => p.Tokens).ToList(), completions);
        return new RlMeasurement(
            Reward(0, train.Count), Reward(train.Count, held.Count), kl, GeneralKl(policy, baseModel), entropy, completions.Average(c => c.Length))
        {
            Beta = beta,
        };
    }

    private RewardMeasurement Summarise(IReadOnlyList<RewardBreakdown> scores) =>
        new(scores.Average(s => s.Total),
            reward!.Names.Select((n, c) => (n, scores.Average(s => s.Components[c]))).ToDictionary(x => x.n, x => x.Item2),
            scores.Count);

    private string Text(int[] completion) =>
        tokenizer.Decode(completion.Length > 0 && completion[^1] == eos ? completion[..^1] : completion, skipSpecialTokens: true);

    /// <summary>Mean exact KL(π ‖ π_base) and entropy of π over every completion position.</summary>
    private (double Kl, double Entropy) OnCompletions(CausalLanguageModel policy, CausalLanguageModel baseModel, IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        policy.eval();
        baseModel.eval();
        var width = prompts.Select((p, i) => p.Length + completions[i].Length - 1).Max();
        var input = new long[prompts.Count * width];
        var mask = new float[prompts.Count * width];
        Array.Fill(input, tokenizer.PadId ?? eos);
        for (var b = 0; b < prompts.Count; b++)
        {
            var row = prompts[b].Concat(completions[b]).ToArray();
            for (var t = 0; t < row.Length - 1; t++) input[b * width + t] = row[t];
            for (var t = 0; t < completions[b].Length; t++) mask[b * width + prompts[b].Length - 1 + t] = 1;
        }
        var ids = tensor(input, [prompts.Count, width]);
        var m = tensor(mask, [prompts.Count, width]);
        var (kl, entropy) = PerPosition(policy, baseModel, ids);
        var tokens = m.sum().item<float>();
        return ((kl * m).sum().item<float>() / tokens, (entropy * m).sum().item<float>() / tokens);
    }

    /// <summary>Mean exact KL(π ‖ π_base) per token on the general text (each document cut to the context).</summary>
    private double GeneralKl(CausalLanguageModel policy, CausalLanguageModel baseModel)
    {
        if (generalText.Count == 0) return 0;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var context = policy.Config.MaxPositions;
        var docs = generalText.Select(d => d.Take(context).ToArray()).Where(d => d.Length > 0).ToList();
        var width = docs.Max(d => d.Length);
        var input = new long[docs.Count * width];
        var mask = new float[docs.Count * width];
        for (var b = 0; b < docs.Count; b++)
            for (var t = 0; t < docs[b].Length; t++)
            {
                input[b * width + t] = docs[b][t];
                mask[b * width + t] = 1;
            }
        var (kl, _) = PerPosition(policy, baseModel, tensor(input, [docs.Count, width]));
        var m = tensor(mask, [docs.Count, width]);
        return (kl * m).sum().item<float>() / m.sum().item<float>();
    }

    /// <summary>KL(π ‖ π_base) and H(π) at every position of <paramref name="ids"/>: (B, T) each.</summary>
    internal static (Tensor Kl, Tensor Entropy) PerPosition(CausalLanguageModel policy, CausalLanguageModel baseModel, Tensor ids)
    {
        var logP = nn.functional.log_softmax(policy.forward(ids).to(ScalarType.Float32), -1);    // (B, T, V)
        var logQ = nn.functional.log_softmax(baseModel.forward(ids).to(ScalarType.Float32), -1); // (B, T, V)
        var p = logP.exp();
        return ((p * (logP - logQ)).sum(-1), -(p * logP).sum(-1));
    }
}
