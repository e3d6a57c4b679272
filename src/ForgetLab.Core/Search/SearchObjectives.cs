using ForgetLab.Core.Analysis;
using ForgetLab.Core.Checkpoints;

namespace ForgetLab.Core.Search;

/// <summary>
/// Target gain and forgetting of one checkpoint with 95% intervals, built from the suites' paired deltas against the
/// base and their intervals (Tango's for binary suites, science.md). The estimates are the report's own
/// (<c>target_gain_points</c>, <c>forgetting_points</c>); the intervals are deliberately wide, so the search errs
/// towards keeping a run:
/// <list type="bullet">
/// <item>target gain is the mean of the target suites' deltas; its interval is the mean of their lower and of their upper
/// limits — the interval the mean would have if the suites were perfectly correlated, the widest it can have;</item>
/// <item>forgetting is max(0, largest drop); its interval is [max(0, max of −high), max(0, max of −low)] — if every suite's
/// interval covers its drop, this covers the largest one.</item>
/// </list>
/// </summary>
public static class SearchObjectives
{
    /// <summary>The objective a suite enters, or null: the same suites as the report's target gain and forgetting.</summary>
    public static ObjectiveRole? RoleOf(SuiteResult suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        if (suite.Kind != OutcomeKind.Binary) return null;
        if (suite.Category == SuiteCategory.Target) return ObjectiveRole.TargetGain;
        return suite.Category is SuiteCategory.Knowledge or SuiteCategory.Skill && suite.BaseCompetence is { Known: true }
            ? ObjectiveRole.Forgetting
            : null;
    }

    /// <summary>The suites of a checkpoint report that enter an objective, in report order.</summary>
    public static IReadOnlyList<ObjectiveSuite> SuitesOf(IEnumerable<SuiteResult> suites) =>
        [.. suites.Select(s => RoleOf(s) is { } role ? new ObjectiveSuite(s.Suite, role, s.DeltaPoints, s.Ci95[0], s.Ci95[1]) : null).OfType<ObjectiveSuite>()];

    /// <summary>
    /// The per-item outcomes of a checkpoint report's objective suites, from the checkpoint's item rows (<c>items.jsonl</c>,
    /// <see cref="ItemResultsFile"/>) of the suite version the report scored; null when a suite that enters an objective has no
    /// rows there (results written elsewhere, or lost), so the search falls back to the intervals for that run. A caller sets
    /// the result as the point's <see cref="RungPoint.Items"/>.
    /// </summary>
    public static IReadOnlyList<ObjectiveItems>? ItemsOf(IEnumerable<SuiteResult> suites, IEnumerable<ItemResult> items)
    {
        ArgumentNullException.ThrowIfNull(suites);
        ArgumentNullException.ThrowIfNull(items);
        var rows = items.ToLookup(i => (i.Suite, i.Version));
        var result = new List<ObjectiveItems>();
        foreach (var suite in suites)
        {
            if (RoleOf(suite) is not { } role) continue;
            var own = rows[(suite.Suite, suite.Version)].ToList();
            if (own.Count == 0) return null;
            result.Add(new ObjectiveItems(new ObjectiveSuite(suite.Suite, role, suite.DeltaPoints, suite.Ci95[0], suite.Ci95[1]), suite.Version,
                [.. own.Select(i => i.Id)], [.. own.Select(i => i.Value)]));
        }

        return result;
    }

    /// <summary>The run's point at a checkpoint from the suites that enter an objective.</summary>
    public static RungPoint Point(string run, IReadOnlyList<ObjectiveSuite> suites)
    {
        ArgumentNullException.ThrowIfNull(suites);
        var bad = suites.FirstOrDefault(s => !double.IsFinite(s.DeltaPoints) || !double.IsFinite(s.Ci95Low) || !double.IsFinite(s.Ci95High) || s.Ci95Low > s.Ci95High);
        if (bad is not null) throw new ArgumentException($"Run '{run}': suite '{bad.Suite}' has a non-finite delta or an interval whose low is above its high.", nameof(suites));

        var target = suites.Where(s => s.Role == ObjectiveRole.TargetGain).ToList();
        var retained = suites.Where(s => s.Role == ObjectiveRole.Forgetting).ToList();
        var gain = target.Count == 0
            ? ObjectiveInterval.Zero
            : new ObjectiveInterval(target.Average(s => s.DeltaPoints), target.Average(s => s.Ci95Low), target.Average(s => s.Ci95High));
        var forgetting = retained.Count == 0
            ? ObjectiveInterval.Zero
            : new ObjectiveInterval(
                Math.Max(0, retained.Max(s => -s.DeltaPoints)),
                Math.Max(0, retained.Max(s => -s.Ci95High)),
                Math.Max(0, retained.Max(s => -s.Ci95Low)));
        return new RungPoint(run, gain, forgetting);
    }
}
