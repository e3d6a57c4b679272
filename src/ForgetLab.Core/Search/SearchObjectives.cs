using ForgetLab.Core.Analysis;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Core.Reports;

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
        return Collect(suites.Where(s => RoleOf(s) is not null)
            .Select(s => (new ObjectiveSuite(s.Suite, RoleOf(s)!.Value, s.DeltaPoints, s.Ci95[0], s.Ci95[1]), (string?)s.Version)), items);
    }

    /// <summary>
    /// As <see cref="ItemsOf(IEnumerable{SuiteResult}, IEnumerable{ItemResult})"/> where only the objective suites are known
    /// (the platform's grain holds each checkpoint's <see cref="ObjectiveSuite"/>s, not its report): a checkpoint is scored
    /// once, so its rows hold one version per suite, and that is the version taken. Rows of two versions for one suite
    /// cannot be told apart here, and give null (the intervals' fallback) rather than a guess.
    /// </summary>
    public static IReadOnlyList<ObjectiveItems>? ItemsOf(IEnumerable<ObjectiveSuite> objectives, IEnumerable<ItemResult> items)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        return Collect(objectives.Select(o => (o, (string?)null)), items);
    }

    /// <summary>Each objective suite's rows (of <c>Version</c>, or of the one version its rows hold where that is null); null when a suite has none.</summary>
    private static IReadOnlyList<ObjectiveItems>? Collect(IEnumerable<(ObjectiveSuite Objective, string? Version)> objectives, IEnumerable<ItemResult> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var rows = items.ToLookup(i => i.Suite, StringComparer.Ordinal);
        var result = new List<ObjectiveItems>();
        foreach (var (objective, version) in objectives)
        {
            var own = rows[objective.Suite].ToList();
            var scored = version ?? (own.Select(i => i.Version).Distinct(StringComparer.Ordinal).ToList() is [var only] ? only : null);
            if (scored is null) return null;
            own = [.. own.Where(i => i.Version == scored)];
            if (own.Count == 0) return null;
            result.Add(new ObjectiveItems(objective, scored, [.. own.Select(i => i.Id)], [.. own.Select(i => i.Value)]));
        }

        return result;
    }

    /// <summary>
    /// The run's point at a checkpoint report, carrying its objective suites' per-item outcomes from <paramref name="rows"/> (the
    /// checkpoint's <c>items.jsonl</c>) where given; null rows, or rows missing a suite, leave the point to the intervals.
    /// </summary>
    public static RungPoint PointAt(string run, CheckpointReport checkpoint, IReadOnlyList<ItemResult>? rows)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var point = Point(run, SuitesOf(checkpoint.Suites));
        return rows is null ? point : point with { Items = ItemsOf(checkpoint.Suites, rows) };
    }

    /// <summary>As <see cref="PointAt(string, CheckpointReport, IReadOnlyList{ItemResult}?)"/> where only the checkpoint's objective suites are known (the platform's grain).</summary>
    public static RungPoint PointAt(string run, IReadOnlyList<ObjectiveSuite> objectives, IReadOnlyList<ItemResult>? rows)
    {
        var point = Point(run, objectives);
        return rows is null ? point : point with { Items = ItemsOf(objectives, rows) };
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
