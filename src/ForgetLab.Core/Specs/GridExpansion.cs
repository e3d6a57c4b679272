using System.Globalization;

namespace ForgetLab.Core.Specs;

/// <summary>
/// Turns a spec's grid into its runs, in a fixed order (method, then lr, steps, seed), each with a
/// readable unique name such as <c>full-lr1e-4-steps100-seed1</c> or <c>lora-r8-lr1e-3-steps100-seed1</c>.
/// </summary>
public static class GridExpansion
{
    /// <summary>The most runs one experiment may have.</summary>
    public const int MaxRuns = 1000;

    /// <summary>How many runs <see cref="Expand"/> would return, without building them.</summary>
    public static long Count(LabSpec spec)
    {
        var (lrs, steps, seeds) = Axes(spec);
        try
        {
            return checked(spec.Grid.Methods.Sum(m => (long)(m.Lr is null ? lrs.Count : 1)) * steps.Count * seeds.Count);
        }
        catch (OverflowException)
        {
            return long.MaxValue; // a grid this large is refused anyway
        }
    }

    public static IReadOnlyList<RunRecipe> Expand(LabSpec spec)
    {
        var (lrs, stepsAxis, seeds) = Axes(spec);
        var runs = new List<RunRecipe>();
        foreach (var method in spec.Grid.Methods)
        {
            // A method's own lr replaces the lr axis rather than being crossed with it.
            IReadOnlyList<double> methodLrs = method.Lr is { } own ? [own] : lrs;
            foreach (var lr in methodLrs)
            foreach (var steps in stepsAxis)
            foreach (var seed in seeds)
            {
                var name = RunName(method, lr, steps, seed);
                runs.Add(new RunRecipe(name, method, spec.Train with { Lr = lr, Steps = steps }, seed));
            }
        }

        var duplicate = runs.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException(
                $"Grid of '{spec.Name}' gives two runs named '{duplicate.Key}'; give one method a distinct name.");
        return runs;
    }

    public static string RunName(MethodSpec method, double lr, int steps, int seed) =>
        string.Create(CultureInfo.InvariantCulture, $"{method.Label}-lr{FormatNumber(lr)}-steps{steps}-seed{seed}");

    /// <summary>Short scientific form used in names: 0.0001 → "1e-4", 0.00025 → "2.5e-4".</summary>
    public static string FormatNumber(double value) =>
        value.ToString("0.######e0", CultureInfo.InvariantCulture);

    private static (IReadOnlyList<double> Lrs, IReadOnlyList<int> Steps, IReadOnlyList<int> Seeds) Axes(LabSpec spec) =>
        (spec.Grid.Lr ?? [spec.Train.Lr], spec.Grid.Steps ?? [spec.Train.Steps], spec.Grid.Seeds ?? [spec.Seed]);
}
