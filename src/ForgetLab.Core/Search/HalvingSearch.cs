namespace ForgetLab.Core.Search;

/// <summary>
/// Successive halving on two objectives: at a rung, the runs another run dominates on (target gain, forgetting) are
/// stopped, but only where the difference is significant, so noise never kills a run: paired on the items where both runs'
/// per-item outcomes are given, by the runs' intervals against the base where they are not. A pure function of the runs'
/// points; the experiment grain and the lab both call it.
/// </summary>
public static class HalvingSearch
{
    /// <summary>
    /// Run a dominates run b when a is at least as good on both objectives and better on one. With per-item outcomes on both
    /// runs for the same suites and items (<see cref="PairedRunDifference.Pairable"/>), that is the paired run-vs-run test
    /// (<see cref="DominatesOnItems"/>); without them, and only then, the fallback compares each run's own interval against
    /// the base (<see cref="DominatesByIntervals"/>).
    /// </summary>
    public static bool Dominates(RungPoint a, RungPoint b) =>
        PairedRunDifference.Pairable(a, b) ? DominatesOnItems(a, b) : DominatesByIntervals(a, b);

    /// <summary>
    /// The paired rule: "better" means the paired (a − b, same items) difference's 95% interval excludes 0 in a's favour
    /// (target gain: <see cref="PairedRunDifference.TargetGain"/>; forgetting:
    /// <see cref="PairedRunDifference.ForgetsSignificantlyLess"/>), and "at least as good" means b is not significantly better
    /// on either. A difference in the means that the paired interval does not separate from 0 decides nothing, so noise does
    /// not stop a run. Identical runs dominate nothing.
    /// </summary>
    public static bool DominatesOnItems(RungPoint a, RungPoint b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var gain = PairedRunDifference.TargetGain(a, b).Ci95;
        if (gain.High < 0 || PairedRunDifference.ForgetsSignificantlyLess(b, a)) return false;
        return gain.Low > 0 || PairedRunDifference.ForgetsSignificantlyLess(a, b);
    }

    /// <summary>
    /// The fallback where per-item outcomes are not available on both runs (the platform's grain holds only the suites'
    /// scores): a dominates b when a is at least as good on both estimates (gain ≥, forgetting ≤) and significantly better on
    /// at least one: its interval against the base lies wholly on the better side of b's (gain: a.low &gt; b.high;
    /// forgetting: a.high &lt; b.low). That is the difference's interval [a.low − b.high, a.high − b.low] excluding 0, which is
    /// conservative (two 95% intervals that do not overlap differ at well below 5%), and it is not a paired test of a against
    /// b. Since a is nowhere worse in its estimates, it is never significantly worse on either objective. Identical points
    /// dominate nothing.
    /// </summary>
    public static bool DominatesByIntervals(RungPoint a, RungPoint b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.TargetGain.Estimate < b.TargetGain.Estimate || a.Forgetting.Estimate > b.Forgetting.Estimate) return false;
        var moreGain = a.TargetGain.Low > b.TargetGain.High;
        var lessForgetting = a.Forgetting.High < b.Forgetting.Low;
        return moreGain || lessForgetting;
    }

    /// <summary>
    /// The runs to stop at the rung <paramref name="step"/>, in input order, each with every run that dominates it. At
    /// least <paramref name="keep"/> runs go on: when stopping every dominated run would leave fewer, the dominated runs
    /// with the fewest dominators (then the larger gain minus forgetting, then input order) are spared. Cost: O(n²).
    /// </summary>
    public static IReadOnlyList<Domination> Dominated(long step, IReadOnlyList<RungPoint> live, int keep) =>
        Dominated(step, live, keep, new HashSet<string>(StringComparer.Ordinal));

    /// <summary>
    /// As <see cref="Dominated(long, IReadOnlyList{RungPoint}, int)"/>, where the runs in <paramref name="ended"/> have
    /// already ended with a scored checkpoint at the rung (on the platform, a run that finished or failed after scoring it):
    /// they are compared, so they may dominate others, but are never stopped and do not count towards <paramref name="keep"/>,
    /// which counts the runs that go on.
    /// </summary>
    public static IReadOnlyList<Domination> Dominated(long step, IReadOnlyList<RungPoint> points, int keep, IReadOnlySet<string> ended)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(ended);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        if (points.GroupBy(p => p.Run, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"Run '{twice.Key}' appears more than once at step {step}.", nameof(points));

        var dominated = points
            .Select((point, index) => (Point: point, Index: index, By: points.Where(other => Dominates(other, point)).Select(o => o.Run).ToList()))
            .Where(d => d.By.Count > 0 && !ended.Contains(d.Point.Run))
            .ToList();
        var goingOn = points.Count(p => !ended.Contains(p.Run));
        var spare = Math.Max(0, keep - (goingOn - dominated.Count));
        var spared = dominated
            .OrderBy(d => d.By.Count)
            .ThenByDescending(d => d.Point.TargetGain.Estimate - d.Point.Forgetting.Estimate)
            .ThenBy(d => d.Index)
            .Take(spare)
            .Select(d => d.Index)
            .ToHashSet();
        return [.. dominated.Where(d => !spared.Contains(d.Index)).Select(d => new Domination(d.Point.Run, step, d.By)
        {
            OnItems = d.By.All(by => PairedRunDifference.Pairable(points.First(p => p.Run == by), d.Point)),
        })];
    }
}
