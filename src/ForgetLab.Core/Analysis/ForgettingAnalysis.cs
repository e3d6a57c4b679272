
namespace ForgetLab.Core.Analysis;

/// <summary>
/// Turns per-item outcomes of a base model and a checkpoint into the numbers a forgetting report
/// shows: paired deltas with intervals and p-values per suite, then Holm across the suites of one
/// report and the severity bands. Every definition here is written out in docs/science.md.
/// </summary>
public static class ForgettingAnalysis
{
    /// <summary>
    /// Compares one suite item by item. Only items present on both sides are used (in the
    /// baseline's order); the suite, version, kind and metric must match.
    /// </summary>
    /// <param name="seed">Seed of the paired bootstrap (continuous suites); binary suites are deterministic.</param>
    public static SuiteComparison Compare(SuiteOutcomes baseline, SuiteOutcomes checkpoint, int seed)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(checkpoint);
        EnsureComparable(baseline, checkpoint);

        var checkpointById = IndexById(checkpoint);
        var ids = new List<string>();
        var baseValues = new List<double>();
        var checkpointValues = new List<double>();
        for (var i = 0; i < baseline.ItemIds.Count; i++)
        {
            if (checkpointById.TryGetValue(baseline.ItemIds[i], out var j))
            {
                ids.Add(baseline.ItemIds[i]);
                baseValues.Add(baseline.Values[i]);
                checkpointValues.Add(checkpoint.Values[j]);
            }
        }

        if (ids.Count == 0)
        {
            throw new ArgumentException($"Suite '{baseline.Suite}' has no item scored on both sides.", nameof(checkpoint));
        }

        var unpaired = baseline.ItemIds.Count + checkpoint.ItemIds.Count - 2 * ids.Count;
        return baseline.Kind == OutcomeKind.Binary
            ? CompareBinary(baseline, ids, baseValues, checkpointValues, unpaired)
            : CompareContinuous(baseline, ids, baseValues, checkpointValues, unpaired, seed);
    }

    /// <summary>
    /// Applies Holm across all suites given (the suites of one checkpoint report, whatever their
    /// category or kind), gates each retention suite on the base's competence with the default
    /// gate, assigns severity labels and computes run severity, target gain and forgetting.
    /// </summary>
    public static CheckpointAssessment Report(IReadOnlyList<SuiteComparison> comparisons) =>
        Report(comparisons, BaseGates.Defaults);

    /// <summary>
    /// As <see cref="Report(IReadOnlyList{SuiteComparison})"/>, with each suite's gate taken from
    /// <paramref name="gates"/> by suite name.
    /// </summary>
    public static CheckpointAssessment Report(IReadOnlyList<SuiteComparison> comparisons, BaseGates gates)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        ArgumentNullException.ThrowIfNull(gates);
        var duplicate = comparisons.GroupBy(c => c.Suite).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Suite '{duplicate.Key}' appears more than once in one report.", nameof(comparisons));
        }

        var pHolm = Holm.Adjust(comparisons.Select(c => c.PValue).ToArray());
        var results = new SuiteResult[comparisons.Count];
        var pointBands = new List<Severity>();
        int knowledgeSuites = 0, knowledgeAtChance = 0;
        var forgetting = 0.0;
        for (var i = 0; i < comparisons.Count; i++)
        {
            var c = comparisons[i];
            var competence = IsBanded(c) ? BaseCompetence.Assess(c.BaseCorrect, c.N, c.Chance, gates.For(c.Suite)) : null;
            Severity? severity = null;
            if (competence is { Known: true })
            {
                var label = SeverityBands.Classify(c.DeltaPoints, pHolm[i], c.Score / 100.0, c.Chance, c.N, c.Retention);
                severity = label;
                pointBands.Add(SeverityBands.PointBand(c.DeltaPoints, pHolm[i]));
                if (c.Category is SuiteCategory.Knowledge or SuiteCategory.Skill)
                {
                    knowledgeSuites++;
                    knowledgeAtChance += label == Severity.AtChance ? 1 : 0;
                    forgetting = Math.Max(forgetting, -c.DeltaPoints);
                }
            }

            results[i] = new SuiteResult(
                Suite: c.Suite,
                Version: c.Version,
                Category: c.Category,
                Metric: c.Metric,
                Kind: c.Kind,
                Base: c.Base,
                Score: c.Score,
                DeltaPoints: c.DeltaPoints,
                RelativeChange: c.RelativeChange,
                Ci95: [c.Ci95.Low, c.Ci95.High],
                PValue: c.PValue,
                PHolm: pHolm[i],
                Severity: severity,
                Retention: c.Retention,
                N: c.N,
                Lost: c.Lost,
                Gained: c.Gained)
            {
                BaseCompetence = competence,
                KnownItemRetention = c.KnownItemRetention,
                KnownItemRetentionCi95 = c.KnownItemRetentionCi95 is { } k ? [k.Low, k.High] : null,
                HigherIsBetter = c.HigherIsBetter,
            };
        }

        var targetDeltas = comparisons
            .Where(c => c.Category == SuiteCategory.Target && c.Kind == OutcomeKind.Binary)
            .Select(c => c.DeltaPoints)
            .ToArray();
        var targetGain = targetDeltas.Length == 0 ? 0.0 : targetDeltas.Average();
        return new CheckpointAssessment(results, SeverityBands.Run(pointBands, knowledgeSuites, knowledgeAtChance), targetGain, forgetting)
        {
            AtChanceShare = SeverityBands.AtChanceShare(knowledgeSuites, knowledgeAtChance),
        };
    }

    /// <summary>
    /// A severity band applies to accuracy-type suites that measure retention: not to the target
    /// (its change is the goal) and not to overwritten items (their change is the intended edit).
    /// </summary>
    public static bool IsBanded(SuiteComparison comparison) =>
        comparison.Kind == OutcomeKind.Binary
        && comparison.Category is not (SuiteCategory.Target or SuiteCategory.Overwritten);

    private static SuiteComparison CompareBinary(
        SuiteOutcomes suite, List<string> ids, List<double> baseValues, List<double> checkpointValues, int unpaired)
    {
        var n = ids.Count;
        int baseCorrect = 0, checkpointCorrect = 0;
        var lost = new List<string>();
        var gained = new List<string>();
        for (var i = 0; i < n; i++)
        {
            var wasCorrect = baseValues[i] == 1.0;
            var isCorrect = checkpointValues[i] == 1.0;
            baseCorrect += wasCorrect ? 1 : 0;
            checkpointCorrect += isCorrect ? 1 : 0;
            if (wasCorrect && !isCorrect)
            {
                lost.Add(ids[i]);
            }
            else if (!wasCorrect && isCorrect)
            {
                gained.Add(ids[i]);
            }
        }

        // Scores and delta from counts, so a drop of exactly 5 points is exactly 5.0 at the band edge.
        var baseScore = 100.0 * baseCorrect / n;
        var score = 100.0 * checkpointCorrect / n;
        var delta = 100.0 * (gained.Count - lost.Count) / n;
        var bothCorrect = baseCorrect - lost.Count;
        var ci = PairedProportionInterval.Tango95(lost.Count, gained.Count, n);
        var kept = baseCorrect == 0 ? (ConfidenceInterval?)null : PairedProportionInterval.Wilson95(bothCorrect, baseCorrect);
        return new SuiteComparison(
            suite.Suite, suite.Version, suite.Category, suite.Kind, suite.Metric, suite.HigherIsBetter, suite.Chance,
            Base: baseScore,
            Score: score,
            DeltaPoints: delta,
            RelativeChange: null,
            Ci95: new ConfidenceInterval(100.0 * ci.Low, 100.0 * ci.High),
            PValue: McNemar.ExactPValue(lost.Count, gained.Count),
            Retention: Retention.Compute((double)baseCorrect / n, (double)checkpointCorrect / n, suite.Chance),
            N: n,
            Unpaired: unpaired,
            Lost: lost,
            Gained: gained)
        {
            BaseCorrect = baseCorrect,
            KnownItemRetention = baseCorrect == 0 ? null : (double)bothCorrect / baseCorrect,
            KnownItemRetentionCi95 = kept,
        };
    }

    private static SuiteComparison CompareContinuous(
        SuiteOutcomes suite, List<string> ids, List<double> baseValues, List<double> checkpointValues, int unpaired, int seed)
    {
        var bootstrap = PairedBootstrap.Run(baseValues, checkpointValues, seed);
        var baseMean = baseValues.Average();
        var score = checkpointValues.Average();
        var delta = score - baseMean;
        return new SuiteComparison(
            suite.Suite, suite.Version, suite.Category, suite.Kind, suite.Metric, suite.HigherIsBetter, suite.Chance,
            Base: baseMean,
            Score: score,
            DeltaPoints: delta,
            RelativeChange: baseMean == 0.0 ? null : 100.0 * delta / Math.Abs(baseMean),
            Ci95: bootstrap.Ci95,
            PValue: bootstrap.PValue,
            Retention: null,
            N: ids.Count,
            Unpaired: unpaired,
            Lost: [],
            Gained: []);
    }

    private static void EnsureComparable(SuiteOutcomes baseline, SuiteOutcomes checkpoint)
    {
        if (baseline.Suite != checkpoint.Suite)
        {
            throw new ArgumentException($"Cannot compare suite '{baseline.Suite}' with '{checkpoint.Suite}'.", nameof(checkpoint));
        }

        if (baseline.Version != checkpoint.Version)
        {
            throw new ArgumentException(
                $"Suite '{baseline.Suite}' was scored on version '{baseline.Version}' at base and '{checkpoint.Version}' " +
                "at the checkpoint; items of different versions are not the same items.", nameof(checkpoint));
        }

        if (baseline.Kind != checkpoint.Kind || baseline.Metric != checkpoint.Metric)
        {
            throw new ArgumentException(
                $"Suite '{baseline.Suite}' was scored as {baseline.Kind}/{baseline.Metric} at base and " +
                $"{checkpoint.Kind}/{checkpoint.Metric} at the checkpoint.", nameof(checkpoint));
        }

        Validate(baseline, nameof(baseline));
        Validate(checkpoint, nameof(checkpoint));
    }

    private static void Validate(SuiteOutcomes outcomes, string parameter)
    {
        if (outcomes.ItemIds.Count != outcomes.Values.Count)
        {
            throw new ArgumentException(
                $"Suite '{outcomes.Suite}' has {outcomes.ItemIds.Count} item ids but {outcomes.Values.Count} values.", parameter);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var duplicate = outcomes.ItemIds.FirstOrDefault(id => !seen.Add(id));
        if (duplicate is not null)
        {
            throw new ArgumentException($"Suite '{outcomes.Suite}' lists item '{duplicate}' twice.", parameter);
        }

        if (outcomes.Kind == OutcomeKind.Binary)
        {
            if (!outcomes.HigherIsBetter)
            {
                throw new ArgumentException($"Binary suite '{outcomes.Suite}' must be higher-is-better (1 = correct).", parameter);
            }

            for (var i = 0; i < outcomes.Values.Count; i++)
            {
                if (outcomes.Values[i] is not (0.0 or 1.0))
                {
                    throw new ArgumentException(
                        $"Binary suite '{outcomes.Suite}' item '{outcomes.ItemIds[i]}' has value {outcomes.Values[i]}, not 0 or 1.",
                        parameter);
                }
            }
        }
        else if (outcomes.Values.Any(v => !double.IsFinite(v)))
        {
            throw new ArgumentException($"Continuous suite '{outcomes.Suite}' has a non-finite value.", parameter);
        }

        if (outcomes.Chance is { } chance && !(chance >= 0.0 && chance < 1.0))
        {
            throw new ArgumentException($"Suite '{outcomes.Suite}' has chance {chance}, not in [0, 1).", parameter);
        }
    }

    private static Dictionary<string, int> IndexById(SuiteOutcomes outcomes)
    {
        // Ids are unique here: Validate has checked.
        var index = new Dictionary<string, int>(outcomes.ItemIds.Count, StringComparer.Ordinal);
        for (var i = 0; i < outcomes.ItemIds.Count; i++)
        {
            index.Add(outcomes.ItemIds[i], i);
        }

        return index;
    }
}
