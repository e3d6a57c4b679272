using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Search;

/// <summary>
/// Run a against run b on the same items: the paired (a − b) differences of target gain and forgetting, by the report's own
/// seeded paired bootstrap (<see cref="PairedBootstrap"/>), so what the two runs share item by item cancels. Both runs are
/// scored against one base on one suite version, so the base cancels too: gain_a − gain_b is the mean over target suites of
/// (score_a − score_b). Pure: the per-item outcomes come in as records (<see cref="RungPoint.Items"/>).
/// </summary>
public static class PairedRunDifference
{
    /// <summary>The bootstrap's seed: fixed, so a rung's decision is the same whenever and wherever it is made.</summary>
    public const int Seed = 15;

    /// <summary>
    /// True when both runs carry per-item outcomes for the same objective suites (name, objective, version) on the same item
    /// ids, so every comparison below is on the same items. Anything else (items missing on either run, another suite
    /// version, items added or dropped) is not pairable, and the search falls back to the intervals against the base.
    /// </summary>
    public static bool Pairable(RungPoint a, RungPoint b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Items is not { } aItems || b.Items is not { } bItems || aItems.Count != bItems.Count) return false;
        var bySuite = bItems.GroupBy(s => s.Objective.Suite, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var suite in aItems)
        {
            if (!bySuite.TryGetValue(suite.Objective.Suite, out var others) || others.Count != 1) return false;
            var other = others[0];
            if (other.Objective.Role != suite.Objective.Role || other.Version != suite.Version) return false;
            if (!WellFormed(suite) || !WellFormed(other) || suite.ItemIds.Count != other.ItemIds.Count) return false;
            var ids = other.ItemIds.ToHashSet(StringComparer.Ordinal);
            if (ids.Count != other.ItemIds.Count || !suite.ItemIds.All(ids.Contains)) return false;
        }

        return true;
    }

    /// <summary>
    /// gain_a − gain_b in points with its paired 95% interval. Target gain is the mean of the target suites' deltas, so each
    /// item's outcome is weighted by 100 / (suites × its suite's items) before the items are pooled; the pooled mean
    /// difference is then exactly gain_a − gain_b (with one target suite, the suite's mean difference in points). No target
    /// suite: exactly 0. The runs must be <see cref="Pairable"/>.
    /// </summary>
    public static BootstrapResult TargetGain(RungPoint a, RungPoint b)
    {
        var target = Aligned(a, b).Where(p => p.A.Objective.Role == ObjectiveRole.TargetGain).ToList();
        if (target.Count == 0) return new BootstrapResult(0, new ConfidenceInterval(0, 0), 1, 0);
        var items = target.Sum(p => p.A.ItemIds.Count);
        var aValues = new List<double>(items);
        var bValues = new List<double>(items);
        foreach (var (suiteA, suiteB) in target)
        {
            var weight = 100.0 * items / (target.Count * suiteA.ItemIds.Count);
            var bById = ById(suiteB);
            for (var i = 0; i < suiteA.ItemIds.Count; i++)
            {
                aValues.Add(weight * suiteA.Values[i]);
                bValues.Add(weight * bById[suiteA.ItemIds[i]]);
            }
        }

        return PairedBootstrap.Run(bValues, aValues, Seed);
    }

    /// <summary>
    /// Whether x forgets significantly less than y. Forgetting is max(0, largest drop over suites), not a mean, so it is
    /// tested on the suite that sets x's forgetting, t (x's largest drop): y's forgetting is at least y's drop on t, and x's is
    /// its drop on t or 0, so forgetting_y − forgetting_x ≥ min(y's drop on t − x's drop on t, y's drop on t). Both must be
    /// significantly above 0: on t's items, the paired (x − y) interval excludes 0 in x's favour, and y's own drop on t
    /// against the base is significant (its interval wholly below 0). Each is a 95% test, so requiring both keeps the level
    /// (an intersection-union test). It takes t as the suite with x's largest estimated drop, the report's own choice.
    /// No forgetting suite on either run: both forget exactly 0, so false. The runs must be <see cref="Pairable"/>.
    /// </summary>
    public static bool ForgetsSignificantlyLess(RungPoint x, RungPoint y)
    {
        var suites = Aligned(x, y).Where(p => p.A.Objective.Role == ObjectiveRole.Forgetting).ToList();
        if (suites.Count == 0) return false;
        var (onX, onY) = suites.MaxBy(p => -p.A.Objective.DeltaPoints);
        if (onY.Objective.Ci95High >= 0) return false;
        var yById = ById(onY);
        var yValues = onX.ItemIds.Select(id => 100.0 * yById[id]).ToList();
        var xValues = onX.Values.Select(v => 100.0 * v).ToList();
        return PairedBootstrap.Run(yValues, xValues, Seed).Ci95.Low > 0;
    }

    private static IEnumerable<(ObjectiveItems A, ObjectiveItems B)> Aligned(RungPoint a, RungPoint b)
    {
        if (!Pairable(a, b)) throw new ArgumentException($"Runs '{a.Run}' and '{b.Run}' do not carry per-item outcomes on the same suites, versions and items.", nameof(b));
        var bBySuite = b.Items!.ToDictionary(s => s.Objective.Suite, StringComparer.Ordinal);
        return a.Items!.Select(s => (s, bBySuite[s.Objective.Suite]));
    }

    private static bool WellFormed(ObjectiveItems suite) =>
        suite.ItemIds.Count > 0 && suite.ItemIds.Count == suite.Values.Count && suite.Values.All(double.IsFinite);

    private static Dictionary<string, double> ById(ObjectiveItems suite) =>
        suite.ItemIds.Zip(suite.Values).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
}
