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
        AppendRuns(md, report);
        AppendSeedGroups(md, report);
        AppendSuites(md, report);
        AppendLostItems(md, report);
        return md.ToString();
    }

    /// <summary>
    /// One cell of the suites × runs table. Binary: "−12.3 [−18.0, −6.5] moderate" (points).
    /// Suites without a band (continuous, target, overwritten) show the Holm-adjusted p instead,
    /// since nothing else in the cell says whether the change is real.
    /// </summary>
    public static string FormatCell(SuiteResult result)
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

        if (result.Severity is { } severity)
        {
            cell.Append(' ').Append(SeverityName(severity));
        }
        else
        {
            cell.Append(' ').Append(FormatP(result.PHolm));
        }

        return cell.ToString();
    }

    /// <summary>"p=0.034", or "p<0.001" below a thousandth.</summary>
    public static string FormatP(double p) =>
        p < 0.001 ? "p<0.001" : "p=" + p.ToString("0.000", Invariant);

    public static string SeverityName(Severity severity) => severity.ToString().ToLowerInvariant();

    private static void AppendRuns(StringBuilder md, ForgettingReport report)
    {
        md.AppendLine("## Runs");
        md.AppendLine();
        md.AppendLine("| run | method | status | severity | target gain (pts) | forgetting (pts) | frontier |");
        md.AppendLine("|---|---|---|---|---:|---:|:---:|");
        foreach (var run in report.Runs)
        {
            md.AppendLine(
                $"| {Escape(run.Name)} | {Escape(run.Method)} | {StatusName(run.Status)} | " +
                $"{(run.Severity is { } s ? SeverityName(s) : "–")} | {Signed(run.TargetGainPoints, 1)} | " +
                $"{Number(run.ForgettingPoints, 1)} | {(report.Frontier.Contains(run.Name) ? "★" : "")} |");
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

    private static void AppendSuites(StringBuilder md, ForgettingReport report)
    {
        md.AppendLine("## Suites × runs");
        md.AppendLine();
        md.AppendLine(
            "Cells: Δ vs base [95% CI], then the severity band, or the Holm-adjusted p where no band applies. " +
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
