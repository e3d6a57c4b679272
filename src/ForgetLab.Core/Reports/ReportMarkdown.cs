using System.Globalization;
using System.Text;
using ForgetLab.Core.Analysis;

namespace ForgetLab.Core.Reports;

/// <summary>
/// Renders a forgetting report as Markdown: a runs summary, a suites × runs table of deltas with
/// their intervals and bands, and the items each run lost. The cell text is public so the CLI
/// prints exactly what the Markdown shows.
/// </summary>
public static class ReportMarkdown
{
    /// <summary>At most this many lost item ids are named per run and suite; the JSON has them all.</summary>
    public const int MaxLostItemsShown = 20;

    private const char Minus = '\u2212';
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(ForgettingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.AppendLine($"# Forgetting report: {report.SpecName}");
        md.AppendLine();
        md.AppendLine(
            $"Created {report.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Invariant)} UTC. " +
            $"Base model `{report.Base.Model}` (hash `{report.Base.ModelHash}`).");
        md.AppendLine();
        AppendData(md, report);
        AppendRuns(md, report);
        AppendNotKnown(md, report);
        AppendSeedGroups(md, report);
        AppendSuites(md, report);
        AppendRewardFineTuning(md, report);
        AppendKnownItems(md, report);
        AppendLostItems(md, report);
        AppendTime(md, report);
        return md.ToString();
    }

    /// <summary>
    /// One cell of the suites × runs table. Binary: "−12.3 [−18.0, −6.5] moderate" (points).
    /// Suites without a band (continuous, target, overwritten) show the Holm-adjusted p instead,
    /// since nothing else in the cell says whether the change is real; a suite the base does not
    /// know shows its p and "base does not know this suite", so it reads neither as forgetting nor as robustness.
    /// </summary>
    public static string FormatCell(SuiteResult result) => FormatChange(result) + " " + FormatLabel(result);

    /// <summary>The cell's label: the severity band, "base does not know this suite" after the p, or the Holm-adjusted p.</summary>
    public static string FormatLabel(SuiteResult result, string notKnown = BaseCompetence.NotKnownLabel)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Severity is { } severity) return SeverityName(severity);
        return result.NotKnownByBase ? $"{FormatP(result.PHolm)}, {notKnown}" : FormatP(result.PHolm);
    }

    /// <summary>Δ [95% CI], plus the relative change of a continuous suite: "−12.3 [−18.0, −6.5]".</summary>
    public static string FormatChange(SuiteResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var decimals = result.Kind == OutcomeKind.Binary ? 1 : 3;
        var cell = new StringBuilder();
        cell.Append(Signed(result.DeltaPoints, decimals));
        if (result.Ci95.Count == 2)
        {
            cell.Append(" [").Append(Number(result.Ci95[0], decimals)).Append(", ")
                .Append(Number(result.Ci95[1], decimals)).Append(']');
        }

        if (result.RelativeChange is { } relative)
        {
            cell.Append(" (").Append(Signed(relative, 1)).Append("%)");
        }

        return cell.ToString();
    }

    /// <summary>Known-item retention in percent with its interval: "90.0 [79.2, 95.8]"; "–" when undefined.</summary>
    public static string FormatKept(SuiteResult result) =>
        result.KnownItemRetention is { } kept && result.KnownItemRetentionCi95 is [var low, var high]
            ? $"{Number(100 * kept, 1)} [{Number(100 * low, 1)}, {Number(100 * high, 1)}]"
            : "–";

    /// <summary>Gated knowledge and skill suites at chance over all gated ones, "2 of 4"; "–" when none is gated.</summary>
    public static string FormatAtChance(RunReport run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var gated = run.Suites.Where(s => s.BaseCompetence is { Known: true } && s.Category is SuiteCategory.Knowledge or SuiteCategory.Skill).ToList();
        return gated.Count == 0 ? "–" : $"{gated.Count(s => s.Severity == Severity.AtChance)} of {gated.Count}";
    }

    /// <summary>The gate's numbers in one line: "base 9.3%, 11 of 118 right, 11.0 known above chance (needs 20; above chance p&lt;0.001, needs p&lt;0.05)".</summary>
    public static string FormatCompetence(SuiteResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.BaseCompetence is not { } g) return "";
        var p = g.PAboveChance is { } value ? $"; above chance {FormatP(value)}, needs p<{g.Alpha.ToString("0.###", Invariant)}" : "";
        return $"base {Number(result.Base, 1)}%, {g.Correct} of {result.N} right, {Number(g.KnownItems, 1)} known above chance " +
               $"(needs {g.MinKnownItems}{p})";
    }

    /// <summary>"p=0.034", or "p<0.001" below a thousandth.</summary>
    public static string FormatP(double p) =>
        p < 0.001 ? "p<0.001" : "p=" + p.ToString("0.000", Invariant);

    public static string SeverityName(Severity severity) => severity switch
    {
        Severity.AtChance => "at chance",
        _ => severity.ToString().ToLowerInvariant(),
    };

    private static void AppendData(StringBuilder md, ForgettingReport report)
    {
        if (report.Data.Count == 0) return;
        md.AppendLine("## Data");
        md.AppendLine();
        md.AppendLine("| role | file | shape | examples | tokens | loss tokens | truncated | unknown tokens | sha256 |");
        md.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---|");
        foreach (var d in report.Data)
            md.AppendLine(FormattableString.Invariant(
                $"| {d.Role} | `{d.File.Replace("|", "\\|", StringComparison.Ordinal)}` | {d.Shape} | {d.Examples} | {d.Tokens} | {d.LossTokens} | {d.Truncated} | {d.UnknownTokens} | `{d.Sha256[..Math.Min(16, d.Sha256.Length)]}` |"));
        md.AppendLine();
    }

    private static void AppendRuns(StringBuilder md, ForgettingReport report)
    {
        md.AppendLine("## Runs");
        md.AppendLine();
        md.AppendLine("| run | method | status | severity | target gain (pts) | forgetting (pts) | at chance | frontier |");
        md.AppendLine("|---|---|---|---|---:|---:|---:|:---:|");
        foreach (var run in report.Runs)
        {
            md.AppendLine(
                $"| {Escape(run.Name)} | {Escape(run.Method)} | {StatusName(run.Status)} | " +
                $"{(run.Severity is { } s ? SeverityName(s) : "–")} | {Signed(run.TargetGainPoints, 1)} | " +
                $"{Number(run.ForgettingPoints, 1)} | {FormatAtChance(run)} | {(report.Frontier.Contains(run.Name) ? "★" : "")} |");
        }

        md.AppendLine();
        md.AppendLine(
            "Severity is the run's: `catastrophic` when more than half of the knowledge and skill suites the base knows are " +
            "at chance (\"at chance\": that many of them), otherwise the worst band over the suites the base knows.");
        md.AppendLine();
    }

    /// <summary>Where each run's time went, training against scoring its checkpoints: evaluation is often most of a grid's cost.</summary>
    private static void AppendTime(StringBuilder md, ForgettingReport report)
    {
        var timed = report.Runs.Where(r => r.Time is not null).ToList();
        if (timed.Count == 0) return;
        md.AppendLine("## Where the time went");
        md.AppendLine();
        md.AppendLine("| run | training (s) | evaluation (s) | evaluation share |");
        md.AppendLine("|---|---:|---:|---:|");
        foreach (var run in timed)
            md.AppendLine($"| {Escape(run.Name)} | {Number(run.Time!.TrainingSeconds, 1)} | {Number(run.Time.EvaluationSeconds, 1)} | {Number(100 * run.Time.EvaluationShare, 0)}% |");
        md.AppendLine();
        md.AppendLine("Wall seconds of the jobs that ran each run; training includes saving checkpoints, evaluation is every suite at every checkpoint.");
        md.AppendLine();
    }

    /// <summary>Suites that fail the base gate, named up front: a drop there is not forgetting, and no drop is not robustness.</summary>
    private static void AppendNotKnown(StringBuilder md, ForgettingReport report)
    {
        var notKnown = NotKnownSuites(report);
        if (notKnown.Count == 0) return;
        md.AppendLine($"**{char.ToUpperInvariant(BaseCompetence.NotKnownLabel[0])}{BaseCompetence.NotKnownLabel[1..]}**: " +
                      "its changes are shown below but are neither forgetting nor robustness; it has no band and counts in " +
                      "neither severity nor forgetting.");
        md.AppendLine();
        foreach (var s in notKnown)
        {
            md.AppendLine($"- `{Escape(s.Suite)}` ({CategoryName(s.Category)}, {Escape(s.Metric)}): {FormatCompetence(s)}");
        }

        md.AppendLine();
    }

    /// <summary>Every suite some run reports as not known by the base, once, in report order.</summary>
    public static IReadOnlyList<SuiteResult> NotKnownSuites(ForgettingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Runs.SelectMany(r => r.Suites).Where(s => s.NotKnownByBase).GroupBy(s => s.Suite).Select(g => g.First()).ToList();
    }

    private static void AppendKnownItems(StringBuilder md, ForgettingReport report)
    {
        var suites = report.Runs.SelectMany(r => r.Suites)
            .Where(s => s.BaseCompetence is { Known: true } && s.KnownItemRetention is not null)
            .Select(s => s.Suite).Distinct().ToList();
        if (suites.Count == 0) return;
        md.AppendLine("## Of what the base knew");
        md.AppendLine();
        md.AppendLine("Known-item retention: of the items the base got right, the percent the checkpoint still gets right [Wilson 95% CI].");
        md.AppendLine();
        md.AppendLine($"| suite | base right | {string.Join(" | ", report.Runs.Select(r => Escape(r.Name)))} |");
        md.AppendLine($"|---|---:|{string.Concat(report.Runs.Select(_ => "---|"))}");
        foreach (var suite in suites)
        {
            var first = report.Runs.SelectMany(r => r.Suites).First(s => s.Suite == suite);
            var cells = report.Runs.Select(r => r.Suites.FirstOrDefault(s => s.Suite == suite) is { } s ? FormatKept(s) : "–");
            md.AppendLine($"| {Escape(suite)} | {first.BaseCompetence!.Correct} of {first.N} | {string.Join(" | ", cells)} |");
        }

        md.AppendLine();
    }

    private static void AppendSeedGroups(StringBuilder md, ForgettingReport report)
    {
        if (report.SeedGroups.Count == 0) return;
        md.AppendLine("## Across seeds");
        md.AppendLine();
        md.AppendLine("Mean Δ over the seeds of each recipe [95% Student-t interval].");
        md.AppendLine();
        var suites = report.SeedGroups[0].Suites.Select(s => s.Suite).ToList();
        md.AppendLine($"| recipe | seeds | target gain | forgetting | {string.Join(" | ", suites.Select(Escape))} |");
        md.AppendLine($"|---|---:|---|---|{string.Concat(suites.Select(_ => "---|"))}");
        foreach (var g in report.SeedGroups)
        {
            var cells = suites.Select(name => g.Suites.FirstOrDefault(s => s.Suite == name) is { } s ? MeanCell(s.DeltaMean, s.Ci95) : "–");
            md.AppendLine($"| {Escape(g.Recipe)} | {g.Runs.Count} | {MeanCell(g.TargetGainMean, g.TargetGainCi95)} | {MeanCell(g.ForgettingMean, g.ForgettingCi95)} | {string.Join(" | ", cells)} |");
        }
        md.AppendLine();
    }

    private static string MeanCell(double mean, IReadOnlyList<double>? ci) =>
        ci is null ? Signed(mean, 1) : $"{Signed(mean, 1)} [{Number(ci[0], 1)}, {Number(ci[1], 1)}]";

    /// <summary>
    /// Reward fine-tuned runs, checkpoint by checkpoint: the reward on train and held-out prompts (and each component),
    /// KL to the base on the target prompts and on general text, entropy and length — beside the suites above, so a
    /// reward that rises while knowledge falls reads in one report.
    /// </summary>
    private static void AppendRewardFineTuning(StringBuilder md, ForgettingReport report)
    {
        var runs = report.Runs.Where(r => r.Checkpoints.Any(c => c.Rl is not null)).ToList();
        if (runs.Count == 0) return;
        md.AppendLine("## Reward fine-tuning");
        md.AppendLine();
        md.AppendLine("| run | step | reward (train) | reward (held-out) | components (train) | KL target (nats/token) | KL general | entropy | length | β |");
        md.AppendLine("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|");
        foreach (var run in runs)
        {
            foreach (var c in run.Checkpoints.Where(c => c.Rl is not null))
            {
                var rl = c.Rl!;
                var components = rl.TrainReward is { } tr ? string.Join(", ", tr.Components.Select(kv => $"{Escape(kv.Key)} {Number(kv.Value, 2)}")) : "–";
                md.AppendLine(
                    $"| {Escape(run.Name)} | {c.Step} | {Reward(rl.TrainReward)} | {Reward(rl.HeldOutReward)} | {components} | " +
                    $"{Number(rl.KlTargetPrompts, 3)} | {Number(rl.KlGeneralText, 3)} | {Number(rl.Entropy, 3)} | {Number(rl.ResponseLength, 1)} | {Number(rl.Beta, 4)} |");
            }
        }

        md.AppendLine();
        md.AppendLine(
            "KL is KL(policy ‖ base), exact over the vocabulary, on the policy's own completions to the target prompts and on " +
            "pre-training text; it is measured whatever the run's β, so a run without a KL penalty still shows its drift.");
        md.AppendLine();
    }

    private static string Reward(RewardMeasurement? reward) => reward is null ? "–" : Number(reward.Mean, 3);

    private static void AppendSuites(StringBuilder md, ForgettingReport report)
    {
        md.AppendLine("## Suites × runs");
        md.AppendLine();
        md.AppendLine(
            "Cells: Δ vs base [95% CI; Tango's score interval for accuracy suites], then the suite's severity band " +
            "(`at chance`: nothing above chance kept), or the Holm-adjusted p where no band applies. " +
            "Binary suites in percentage points; continuous suites in metric units (relative change in parentheses).");
        md.AppendLine();
        var header = new StringBuilder("| suite | category | metric | base |");
        var rule = new StringBuilder("|---|---|---|---:|");
        foreach (var run in report.Runs)
        {
            header.Append(' ').Append(Escape(run.Name)).Append(" |");
            rule.Append("---|");
        }

        md.AppendLine(header.ToString());
        md.AppendLine(rule.ToString());
        foreach (var suite in SuiteRows(report))
        {
            var row = new StringBuilder();
            row.Append($"| {Escape(suite.Suite)} | {CategoryName(suite.Category)} | {Escape(suite.Metric)} | ");
            row.Append(Number(suite.Base, suite.Binary ? 1 : 3)).Append(" |");
            foreach (var run in report.Runs)
            {
                var result = run.Suites.FirstOrDefault(r => r.Suite == suite.Suite);
                row.Append(' ').Append(result is null ? "–" : Escape(FormatCell(result))).Append(" |");
            }

            md.AppendLine(row.ToString());
        }

        md.AppendLine();
    }

    private static void AppendLostItems(StringBuilder md, ForgettingReport report)
    {
        var any = false;
        foreach (var run in report.Runs)
        {
            foreach (var result in run.Suites.Where(r => r.Lost.Count > 0))
            {
                if (!any)
                {
                    md.AppendLine("## Lost items");
                    md.AppendLine();
                    md.AppendLine("Items correct at base and wrong after fine-tuning.");
                    md.AppendLine();
                    any = true;
                }

                var shown = result.Lost.Take(MaxLostItemsShown).Select(id => $"`{id}`");
                var more = result.Lost.Count > MaxLostItemsShown ? $", … ({result.Lost.Count - MaxLostItemsShown} more)" : "";
                md.AppendLine(
                    $"- **{Escape(run.Name)} / {Escape(result.Suite)}** ({result.Lost.Count} of {result.N} lost, " +
                    $"{result.Gained.Count} gained): {string.Join(", ", shown)}{more}");
            }
        }

        if (any)
        {
            md.AppendLine();
        }
    }

    private sealed record SuiteRow(string Suite, SuiteCategory Category, string Metric, double Base, bool Binary);

    /// <summary>Base suites in base order, then any suite only the runs report.</summary>
    private static List<SuiteRow> SuiteRows(ForgettingReport report)
    {
        var kinds = report.Runs
            .SelectMany(r => r.Suites)
            .GroupBy(s => s.Suite)
            .ToDictionary(g => g.Key, g => g.First());
        var rows = report.Base.Suites
            .Select(s => new SuiteRow(
                s.Suite, s.Category, s.Metric, s.Score,
                !kinds.TryGetValue(s.Suite, out var r) || r.Kind == OutcomeKind.Binary))
            .ToList();
        foreach (var (name, result) in kinds)
        {
            if (rows.All(row => row.Suite != name))
            {
                rows.Add(new SuiteRow(name, result.Category, result.Metric, result.Base, result.Kind == OutcomeKind.Binary));
            }
        }

        return rows;
    }

    private static string Signed(double value, int decimals)
    {
        if (!double.IsFinite(value))
        {
            return value.ToString(Invariant);
        }

        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        if (rounded == 0.0)
        {
            return 0.0.ToString("F" + decimals, Invariant);
        }

        var magnitude = Math.Abs(rounded).ToString("F" + decimals, Invariant);
        return (rounded < 0 ? Minus : '+') + magnitude;
    }

    private static string Number(double value, int decimals)
    {
        if (!double.IsFinite(value))
        {
            return value.ToString(Invariant);
        }

        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        var magnitude = Math.Abs(rounded).ToString("F" + decimals, Invariant);
        return rounded < 0 ? Minus + magnitude : magnitude;
    }

    private static string StatusName(RunStatus status) => status switch
    {
        RunStatus.Completed => "completed",
        RunStatus.Diverged => "diverged",
        RunStatus.StoppedEarly => "stopped early",
        _ => status.ToString(),
    };

    private static string CategoryName(SuiteCategory category) => category.ToString().ToLowerInvariant();

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
