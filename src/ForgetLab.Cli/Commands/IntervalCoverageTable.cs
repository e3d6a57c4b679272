using System.Globalization;
using ForgetLab.Core.Analysis;

namespace ForgetLab.Cli.Commands;

/// <summary>
/// <c>forgetlab bench intervals</c>: the coverage grid of docs/science.md as Markdown — per n, the
/// lowest and the mean coverage of each interval over base accuracies and change patterns, then
/// every cell where Tango or Newcombe falls below 93%, and Wald's five worst cells.
/// </summary>
internal static class IntervalCoverageTable
{
    public static readonly int[] Ns = [20, 50, 100, 200, 500, 1000, 2000];
    public static readonly double[] BaseAccuracies = [0.1, 0.5, 0.9, 0.98];

    /// <summary>(lost, gained) as shares of all items: rare changes, a few, forgetting with some gains, heavy forgetting.</summary>
    public static readonly (double Lost, double Gained)[] Changes = [(0.005, 0.0), (0.02, 0.01), (0.05, 0.0), (0.1, 0.05), (0.3, 0.0), (0.85, 0.0)];

    public static void Write(int replicates, int seed, TextWriter output)
    {
        var cells = IntervalCoverage.Grid(Ns, BaseAccuracies, Changes, replicates, seed);
        output.WriteLine($"Coverage of nominal 95% intervals, {replicates} simulated tables per cell, seed {seed}; " +
                         $"base accuracy in {{{string.Join(", ", BaseAccuracies.Select(F))}}}, (lost, gained) shares in " +
                         $"{{{string.Join(", ", Changes.Select(c => $"({F(c.Lost)}, {F(c.Gained)})"))}}} where possible.");
        output.WriteLine();
        output.WriteLine("| n | cells | Tango min | Tango mean | Newcombe min | Newcombe mean | Wald min | Wald mean | cells with Wald < 90% |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var group in cells.GroupBy(c => c.N).Append(cells.GroupBy(_ => 0).Single()))
        {
            var g = group.ToList();
            output.WriteLine($"| {(group.Key == 0 ? "all" : group.Key.ToString(CultureInfo.InvariantCulture))} | {g.Count} | " +
                             $"{P(g.Min(c => c.Tango))} | {P(g.Average(c => c.Tango))} | {P(g.Min(c => c.Newcombe))} | {P(g.Average(c => c.Newcombe))} | " +
                             $"{P(g.Min(c => c.Wald))} | {P(g.Average(c => c.Wald))} | {g.Count(c => c.Wald < 0.9)} |");
        }

        output.WriteLine();
        output.WriteLine("Cells where Tango or Newcombe is below 93%, then Wald's five worst:");
        output.WriteLine();
        output.WriteLine("| n | base accuracy | lost | gained | Tango | Newcombe | Wald |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in cells.Where(c => c.Tango < 0.93 || c.Newcombe < 0.93).Concat(cells.OrderBy(c => c.Wald).Take(5)))
            output.WriteLine($"| {c.N} | {F(c.BaseAccuracy)} | {F(c.LostRate)} | {F(c.GainedRate)} | {P(c.Tango)} | {P(c.Newcombe)} | {P(c.Wald)} |");
    }

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string P(double share) => (100 * share).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
