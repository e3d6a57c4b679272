using System.Text.RegularExpressions;
using MathNet.Numerics.Distributions;

namespace ForgetLab.Core.Reports;

/// <summary>
/// Groups a report's runs by recipe (the run name without <c>-seed{n}</c>) and summarises each group
/// across seeds: mean ± t(0.975, k−1)·s/√k over the k seeds' final deltas. Only evaluated runs count.
/// </summary>
public static partial class SeedAggregation
{
    public static IReadOnlyList<SeedGroup> Aggregate(IReadOnlyList<RunReport> runs) =>
        runs.Where(r => r.Checkpoints.Count > 0)
            .GroupBy(r => RecipeOf(r.Name))
            .Where(g => g.Count() >= 2)
            .Select(g => Summarise(g.Key, g.ToList()))
            .ToList();

    public static string RecipeOf(string runName) => SeedPart().Replace(runName, "");

    private static SeedGroup Summarise(string recipe, List<RunReport> runs)
    {
        var suites = runs[0].Suites
            .Select(s => s.Suite)
            .Where(name => runs.All(r => r.Suites.Any(x => x.Suite == name)))
            .Select(name =>
            {
                var deltas = runs.Select(r => r.Suites.First(x => x.Suite == name).DeltaPoints).ToList();
                var (mean, ci) = MeanAndInterval(deltas);
                return new SeedSuiteSummary(name, runs[0].Suites.First(x => x.Suite == name).Category, mean, ci, deltas.Count);
            })
            .ToList();
        var (gain, gainCi) = MeanAndInterval(runs.Select(r => r.TargetGainPoints).ToList());
        var (forgetting, forgettingCi) = MeanAndInterval(runs.Select(r => r.ForgettingPoints).ToList());
        return new SeedGroup(recipe, runs.Select(r => r.Name).ToList(), gain, gainCi, forgetting, forgettingCi, suites);
    }

    /// <summary>Mean and 95% Student-t interval; the interval is null for a single value.</summary>
    public static (double Mean, IReadOnlyList<double>? Ci95) MeanAndInterval(IReadOnlyList<double> values)
    {
        var k = values.Count;
        var mean = values.Average();
        if (k < 2) return (mean, null);
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (k - 1));
        var half = StudentT.InvCDF(0, 1, k - 1, 0.975) * sd / Math.Sqrt(k);
        return (mean, [mean - half, mean + half]);
    }

    [GeneratedRegex(@"-seed\d+")]
    private static partial Regex SeedPart();
}
