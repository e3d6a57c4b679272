using ForgetLab.Lab.Model;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Evaluation;

/// <summary>
/// Relative parameter drift ‖θ−θ₀‖/‖θ₀‖ per layer group (embeddings, each block, the final norm),
/// a cheap view of where fine-tuning moved the weights.
/// </summary>
public static class ParameterDrift
{
    public static IReadOnlyDictionary<string, double> Compute(CausalLanguageModel baseModel, CausalLanguageModel tuned)
    {
        var before = baseModel.EffectiveStateDict();
        var sums = new SortedDictionary<string, (double Diff, double Norm)>(StringComparer.Ordinal);
        using var _ = no_grad();
        foreach (var (key, value) in tuned.EffectiveStateDict())
        {
            if (!before.TryGetValue(key, out var reference)) continue;
            var group = Group(key);
            var diff = (value - reference).pow(2).sum().item<float>();
            var norm = reference.pow(2).sum().item<float>();
            var (d, n) = sums.GetValueOrDefault(group);
            sums[group] = (d + diff, n + norm);
        }
        return sums.ToDictionary(kv => kv.Key, kv => kv.Value.Norm == 0 ? 0 : Math.Sqrt(kv.Value.Diff) / Math.Sqrt(kv.Value.Norm));
    }

    private static string Group(string key)
    {
        var parts = key.Split('.');
        return parts.Length > 2 && parts[1] == "h" ? $"h.{parts[2]}" : parts[1] is "wte" or "wpe" ? "embeddings" : parts[1];
    }
}
