using ForgetLab.Lab.Training;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Rl;

/// <summary>
/// Draws the next token of each row as transformers' sampling does: logits divided by the temperature
/// (<c>TemperatureLogitsWarper</c>), then top-p (<c>TopPLogitsWarper</c>: sort ascending, drop the tokens whose
/// cumulative probability is at most 1 − top_p, always keeping the most likely one), then one draw from the
/// renormalised softmax. The draws come from a <see cref="SplitMix64"/> whose one-number state a checkpoint
/// stores, so a resumed run samples exactly what the uninterrupted run would have.
/// </summary>
public sealed class TokenSampler(double temperature, double topP, ulong seed)
{
    private readonly SplitMix64 rng = new(seed);

    public ulong State { get => rng.State; set => rng.State = value; }

    /// <summary>One token id per row of <paramref name="logits"/> (B, V).</summary>
    public long[] Choose(Tensor logits)
    {
        using var cpu = logits.detach().to(ScalarType.Float64).cpu();
        var rows = (int)cpu.shape[0];
        var vocab = (int)cpu.shape[1];
        var values = cpu.data<double>().ToArray();
        var result = new long[rows];
        for (var b = 0; b < rows; b++) result[b] = Draw(values.AsSpan(b * vocab, vocab));
        return result;
    }

    /// <summary>The filtered, renormalised distribution of one row (exposed for tests).</summary>
    public double[] Distribution(ReadOnlySpan<double> logits)
    {
        var scaled = new double[logits.Length];
        var max = double.NegativeInfinity;
        for (var i = 0; i < logits.Length; i++) max = Math.Max(max, scaled[i] = logits[i] / temperature);
        var probs = new double[logits.Length];
        var sum = 0.0;
        for (var i = 0; i < probs.Length; i++) sum += probs[i] = Math.Exp(scaled[i] - max);
        for (var i = 0; i < probs.Length; i++) probs[i] /= sum;
        if (topP < 1.0)
        {
            var ascending = Enumerable.Range(0, probs.Length).OrderBy(i => probs[i]).ThenByDescending(i => i).ToArray();
            var cumulative = 0.0;
            for (var k = 0; k < ascending.Length - 1; k++)   // the last (most likely) token always stays
            {
                cumulative += probs[ascending[k]];
                if (cumulative <= 1 - topP) probs[ascending[k]] = 0;
            }
            var kept = probs.Sum();
            for (var i = 0; i < probs.Length; i++) probs[i] /= kept;
        }
        return probs;
    }

    private long Draw(ReadOnlySpan<double> logits)
    {
        var probs = Distribution(logits);
        var u = rng.NextDouble();
        var cumulative = 0.0;
        var lastNonZero = 0;
        for (var i = 0; i < probs.Length; i++)
        {
            if (probs[i] <= 0) continue;
            lastNonZero = i;
            cumulative += probs[i];
            if (u < cumulative) return i;
        }
        return lastNonZero;
    }
}
