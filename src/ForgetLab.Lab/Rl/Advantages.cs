using ForgetLab.Core.Specs.Rl;

namespace ForgetLab.Lab.Rl;

/// <summary>
/// Advantages from the rewards of a batch laid out as groups of <c>g</c> completions per prompt (prompt-major,
/// as TRL lays them out), following TRL at f2cd577:
/// GRPO (<c>GRPOTrainer._generate_and_score_completions</c>): A = r − mean_group, divided by std + 1e-4 where
/// the std is the group's (<c>scale_rewards: group</c>), the batch's (<c>batch</c>) or not at all (<c>none</c>);
/// the std is torch's unbiased one (n − 1).
/// RLOO (<c>RLOOTrainer</c>): A = r − (Σ_group − r)/(g − 1), then optionally (A − mean)/(std + 1e-4) over the batch.
/// REINFORCE: A = r − mean over the batch.
/// </summary>
public static class Advantages
{
    private const double StdEpsilon = 1e-4;

    public static double[] Grpo(IReadOnlyList<double> rewards, int groupSize, ScaleRewards scale)
    {
        CheckGroups(rewards, groupSize);
        var result = new double[rewards.Count];
        var batchStd = Std(rewards);
        for (var start = 0; start < rewards.Count; start += groupSize)
        {
            var group = rewards.Skip(start).Take(groupSize).ToList();
            var mean = group.Average();
            var std = scale == ScaleRewards.Batch ? batchStd : Std(group);
            for (var i = 0; i < groupSize; i++)
            {
                var centred = group[i] - mean;
                result[start + i] = scale == ScaleRewards.None ? centred : centred / (std + StdEpsilon);
            }
        }
        return result;
    }

    public static double[] Rloo(IReadOnlyList<double> rewards, int groupSize, bool normalize)
    {
        CheckGroups(rewards, groupSize);
        if (groupSize < 2) throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "RLOO's leave-one-out baseline needs at least 2 completions per prompt");
        var result = new double[rewards.Count];
        for (var start = 0; start < rewards.Count; start += groupSize)
        {
            var sum = 0.0;
            for (var i = 0; i < groupSize; i++) sum += rewards[start + i];
            for (var i = 0; i < groupSize; i++) result[start + i] = rewards[start + i] - (sum - rewards[start + i]) / (groupSize - 1);
        }
        if (!normalize) return result;
        var mean = result.Average();
        var std = Std(result);
        return result.Select(a => (a - mean) / (std + StdEpsilon)).ToArray();
    }

    public static double[] Reinforce(IReadOnlyList<double> rewards)
    {
        var mean = rewards.Average();
        return rewards.Select(r => r - mean).ToArray();
    }

    /// <summary>torch.std's default: the unbiased estimate (n − 1); 0 for a single value.</summary>
    internal static double Std(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    private static void CheckGroups(IReadOnlyList<double> rewards, int groupSize)
    {
        if (groupSize < 1 || rewards.Count % groupSize != 0)
            throw new ArgumentException($"{rewards.Count} rewards do not split into groups of {groupSize}", nameof(rewards));
    }
}
