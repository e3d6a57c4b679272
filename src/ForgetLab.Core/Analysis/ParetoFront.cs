namespace ForgetLab.Core.Analysis;

/// <summary>
/// The runs no other run beats on both axes at once (more target gain, less forgetting). Fronts,
/// not single numbers, decide between methods: two methods may trade gain for forgetting along
/// the same front.
/// </summary>
public static class ParetoFront
{
    /// <summary>
    /// Returns the names of the non-dominated runs in input order. Run a dominates run b when
    /// a.TargetGain ≥ b.TargetGain and a.Forgetting ≤ b.Forgetting with at least one strict.
    /// Runs with identical points do not dominate each other, so all of them stay on the front.
    /// </summary>
    public static IReadOnlyList<string> Compute(IReadOnlyList<(string Run, double TargetGain, double Forgetting)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        foreach (var run in runs)
        {
            if (!double.IsFinite(run.TargetGain) || !double.IsFinite(run.Forgetting))
            {
                throw new ArgumentException($"Run '{run.Run}' has a non-finite point; leave unevaluated runs out.", nameof(runs));
            }
        }

        return runs
            .Where(candidate => !runs.Any(other => Dominates(other, candidate)))
            .Select(run => run.Run)
            .ToArray();
    }

    private static bool Dominates(
        (string Run, double TargetGain, double Forgetting) a,
        (string Run, double TargetGain, double Forgetting) b) =>
        a.TargetGain >= b.TargetGain
        && a.Forgetting <= b.Forgetting
        && (a.TargetGain > b.TargetGain || a.Forgetting < b.Forgetting);
}
