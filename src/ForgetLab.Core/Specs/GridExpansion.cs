using System.Globalization;
using ForgetLab.Core.Specs.Rl;

namespace ForgetLab.Core.Specs;

/// <summary>
/// Turns a spec's grid into its runs, in a fixed order (method, then replay, EWC λ, L2-SP α,
/// distillation β, RL β, RL pre-training mix, lr, steps, seed), each with a readable unique name such as
/// <c>full-lr1e-4-steps100-seed1</c> or <c>lora-r8-lr1e-3-steps100-seed1-replay0.25-ewc1e2</c>.
/// A consolidation appears in the name only when it is on for the run. A spec with variants expands
/// each variant in turn (its train settings, its method if it has one) and prefixes its runs' names
/// with the variant's name: <c>replay-full-lr1e-4-steps80-seed1-replay0.25</c>.
/// </summary>
public static class GridExpansion
{
    /// <summary>The most runs one experiment may have.</summary>
    public const int MaxRuns = 1000;

    /// <summary>How many runs <see cref="Expand"/> would return, without building them.</summary>
    public static long Count(LabSpec spec)
    {
        if (spec.IsEvaluationOnly) return 0;
        if (spec.Variants.Count > 0)
        {
            var total = Variants(spec).Sum(v => (decimal)Count(v.Spec));
            return total > long.MaxValue ? long.MaxValue : (long)total;
        }

        var (lrs, steps, seeds) = Axes(spec);
        try
        {
            return checked(spec.Grid.Methods.Sum(m => (long)(m.Lr is null ? lrs.Count : 1)) * steps.Count * seeds.Count
                * Consolidations(spec).Count);
        }
        catch (OverflowException)
        {
            return long.MaxValue; // a grid this large is refused anyway
        }
    }

    /// <summary>The runs to train; none for an evaluation-only spec (its runs are <see cref="LabSpec.Evaluate"/>'s entries).</summary>
    public static IReadOnlyList<RunRecipe> Expand(LabSpec spec)
    {
        if (spec.IsEvaluationOnly) return [];
        if (spec.Variants.Count > 0)
            return Unique(spec, [.. Variants(spec).SelectMany(v => Expand(v.Spec).Select(r => r with { Name = v.Name + "-" + r.Name }))]);

        var (lrs, stepsAxis, seeds) = Axes(spec);
        var consolidations = Consolidations(spec);
        var runs = new List<RunRecipe>();
        foreach (var method in spec.Grid.Methods)
        foreach (var train in consolidations)
        {
            // A method's own lr replaces the lr axis rather than being crossed with it.
            IReadOnlyList<double> methodLrs = method.Lr is { } own ? [own] : lrs;
            foreach (var lr in methodLrs)
            foreach (var steps in stepsAxis)
            foreach (var seed in seeds)
            {
                var name = RunName(method, lr, steps, seed) + ConsolidationSuffix(train);
                runs.Add(new RunRecipe(name, method, train with { Lr = lr, Steps = steps }, seed));
            }
        }

        return Unique(spec, runs);
    }

    /// <summary>
    /// The spec as each variant sees it: the variant's train settings, and its method as the only
    /// method when it has one; without variants, the spec itself with an empty name.
    /// </summary>
    public static IReadOnlyList<(string Name, LabSpec Spec)> Variants(LabSpec spec) =>
        spec.Variants.Count == 0
            ? [("", spec)]
            : [.. spec.Variants.Select(v => (v.Name, spec with
            {
                Train = v.Train,
                Grid = v.Method is { } method ? spec.Grid with { Methods = [method] } : spec.Grid,
                Variants = [],
            }))];

    private static List<RunRecipe> Unique(LabSpec spec, List<RunRecipe> runs)
    {
        var duplicate = runs.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException(
                $"Grid of '{spec.Name}' gives two runs named '{duplicate.Key}'; give one method a distinct name.");
        return runs;
    }

    public static string RunName(MethodSpec method, double lr, int steps, int seed) =>
        string.Create(CultureInfo.InvariantCulture, $"{method.Label}-lr{FormatNumber(lr)}-steps{steps}-seed{seed}");

    /// <summary>The name's tail for the consolidations that are on: "-replay0.25-ewc1e2-l2sp1e-2-distill1e0", or "".</summary>
    public static string ConsolidationSuffix(TrainSpec train)
    {
        var suffix = "";
        if (train.Replay is { Ratio: > 0 } replay) suffix += "-replay" + replay.Ratio.ToString("0.####", CultureInfo.InvariantCulture);
        return suffix + string.Concat(train.Regularizers().Select(r => r.NameSuffix)) + (train.Rl?.NameSuffix ?? "");
    }

    /// <summary>Short scientific form used in names: 0.0001 → "1e-4", 0.00025 → "2.5e-4".</summary>
    public static string FormatNumber(double value) =>
        value.ToString("0.######e0", CultureInfo.InvariantCulture);

    private static (IReadOnlyList<double> Lrs, IReadOnlyList<int> Steps, IReadOnlyList<int> Seeds) Axes(LabSpec spec) =>
        (spec.Grid.Lr ?? [spec.Train.Lr], spec.Grid.Steps ?? [spec.Train.Steps], spec.Grid.Seeds ?? [spec.Seed]);

    /// <summary>
    /// The train settings of every combination of the consolidation axes, in axis order. A grid value
    /// of 0 turns that consolidation off; a positive one overrides the strength in the train record
    /// (keeping its other settings, e.g. fisher_batches).
    /// </summary>
    private static List<TrainSpec> Consolidations(LabSpec spec)
    {
        var t = spec.Train;
        var g = spec.Grid;
        var replays = g.Replay?.Select(r => r > 0 ? (t.Replay ?? new ReplaySpec()) with { Ratio = r } : null).ToList() ?? [NullIfOff(t.Replay)];
        var ewcs = g.EwcLambda?.Select(l => l > 0 ? (t.Ewc ?? new EwcSpec()) with { Lambda = l } : null).ToList() ?? [t.Ewc];
        var l2sps = g.L2SpAlpha?.Select(a => a > 0 ? new L2SpSpec { Alpha = a } : null).ToList() ?? [t.L2Sp];
        var distills = g.DistillBeta?.Select(b => b > 0 ? (t.Distill ?? new DistillSpec()) with { Beta = b } : null).ToList() ?? [t.Distill];
        var rls = RlCombinations(t.Rl, g);
        return [.. from r in replays from e in ewcs from l in l2sps from d in distills from rl in rls
                   select t with { Replay = r, Ewc = e, L2Sp = l, Distill = d, Rl = rl }];
    }

    /// <summary>
    /// β × pre-training mix, in that order. The reader refuses these axes without <c>train.rl</c>; a ptx value of 0
    /// turns the mix off, a positive one sets its coefficient (keeping its corpus).
    /// </summary>
    private static List<RlSpec?> RlCombinations(RlSpec? rl, GridSpec g)
    {
        if (rl is null) return [null];
        var betas = g.RlBeta ?? [rl.Beta];
        IReadOnlyList<PtxSpec?> ptxs = g.RlPtxCoef?.Select(c => c > 0 ? (rl.Ptx ?? new PtxSpec()) with { Coef = c } : null).ToList()
            ?? [rl.Ptx];
        return [.. from b in betas from p in ptxs select rl with { Beta = b, Ptx = p }];
    }

    private static ReplaySpec? NullIfOff(ReplaySpec? replay) => replay is { Ratio: > 0 } ? replay : null;
}
