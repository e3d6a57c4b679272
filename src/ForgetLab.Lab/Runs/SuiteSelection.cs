using ForgetLab.Core.Specs;
using ForgetLab.Lab.Suites;
using ForgetLab.Lab.World;

namespace ForgetLab.Lab.Runs;

/// <summary>
/// The suites a spec watches, resolved: built-in names from the world (given the target), files read
/// from disk, each capped at <c>eval.max_items</c> by an even, deterministic spread over its items.
/// A capped suite gets a version of its own, so it never compares with results on other items.
/// </summary>
public static class SuiteSelection
{
    /// <param name="target">The built-in target; null for a data target.</param>
    /// <param name="heldOut">A data target's held-out suite (its <c>target</c>); null when none.</param>
    public static IReadOnlyList<SuiteDefinition> Resolve(LabSpec spec, BuiltInWorld world, FineTuningTarget? target, SuiteDefinition? heldOut = null)
    {
        var builtIn = world.Suites.BuiltIn(target).ToDictionary(s => s.Name);
        if (heldOut is not null) builtIn[heldOut.Name] = heldOut;
        var suites = new List<SuiteDefinition>();
        foreach (var reference in spec.Suites)
        {
            SuiteDefinition suite;
            if (reference.IsBuiltIn)
            {
                if (!builtIn.TryGetValue(reference.Name, out var found))
                    throw new InvalidOperationException($"suite '{reference.Name}' does not exist for target '{target?.Name ?? "data"}' (the built-in suites here: {string.Join(", ", builtIn.Keys)})");
                suite = found;
            }
            else
            {
                suite = SuiteReader.Read(reference.FilePath!, reference.ConfinedTo);
            }
            suites.Add(Cap(suite, spec.Eval.MaxItems));
        }
        return suites;
    }

    public static SuiteDefinition Cap(SuiteDefinition suite, int maxItems)
    {
        if (maxItems <= 0 || suite.Items.Count <= maxItems) return suite;
        var step = (double)suite.Items.Count / maxItems;
        var items = Enumerable.Range(0, maxItems).Select(i => suite.Items[(int)(i * step)]).ToList();
        var revision = suite.Version.Split('-')[0];
        return suite with { Items = items, Version = $"{revision}-{SuiteDefinition.ContentHash(items)}" };
    }
}
