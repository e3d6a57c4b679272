using System.Globalization;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;
using Spectre.Console;

namespace ForgetLab.Cli.Commands;

/// <summary>
/// The report as the terminal shows it, readable at 80 columns: the suites the base does not know
/// first, then one narrow table per run (suite, base, Δ [95% CI], label, known items kept) under a
/// line naming the run in full, then one line per run by its letter. Transposed this way no run
/// name becomes a column header, so names and labels never break inside a word.
/// </summary>
internal static class ReportTable
{
    /// <summary>The label column's text for a suite the base does not know (the legend spells it out).</summary>
    public const string NotKnownShort = "not known";

    public static void Write(ForgettingReport report) => Write(report, AnsiConsole.Console);

    public static void Write(ForgettingReport report, IAnsiConsole console)
    {
        console.MarkupLine($"[bold]forgetting report: {Markup.Escape(report.SpecName)}[/]");
        var notKnown = ReportMarkdown.NotKnownSuites(report);
        if (notKnown.Count > 0)
        {
            console.MarkupLine($"[yellow]{NotKnownShort}[/] = {BaseCompetence.NotKnownLabel}: shown, but neither forgetting nor robustness, and counted in no severity:");
            foreach (var s in notKnown)
                console.MarkupLine($"  [yellow]{Markup.Escape(s.Suite)}[/]: {Markup.Escape(ReportMarkdown.FormatCompetence(s))}");
        }

        for (var i = 0; i < report.Runs.Count; i++)
        {
            var run = report.Runs[i];
            console.WriteLine();
            console.MarkupLine($"[bold]{Letter(i)}[/]  [bold]{Markup.Escape(run.Name)}[/]");
            console.MarkupLine("   " + Markup.Escape(Summary(run)));
            if (run.Suites.Count == 0) continue;
            var table = new Table()
                .AddColumn("suite")
                .AddColumn(new TableColumn("base").RightAligned())
                .AddColumn(new TableColumn("Δ [[95% CI]]").RightAligned())
                .AddColumn("label")
                .AddColumn(new TableColumn("kept %").RightAligned());
            foreach (var r in run.Suites)
            {
                var decimals = r.Kind == OutcomeKind.Binary ? "F1" : "F3";
                table.AddRow(
                    Markup.Escape(r.Suite),
                    r.Base.ToString(decimals, CultureInfo.InvariantCulture),
                    Markup.Escape(ChangeWithoutRelative(r)),
                    Colour(r, Markup.Escape(Label(r))),
                    Markup.Escape(Kept(r)));
            }
            console.Write(table);
        }

        console.WriteLine();
        var runs = new Table().AddColumn("run").AddColumn("status").AddColumn("severity")
            .AddColumn(new TableColumn("gain").RightAligned()).AddColumn(new TableColumn("forgetting").RightAligned())
            .AddColumn(new TableColumn("at chance").RightAligned());
        for (var i = 0; i < report.Runs.Count; i++)
        {
            var run = report.Runs[i];
            runs.AddRow(
                Letter(i) + (run.ParetoOptimal ? " ★" : ""), StatusName(run.Status),
                run.Severity is { } s ? ReportMarkdown.SeverityName(s) : "–",
                $"{run.TargetGainPoints.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture)}",
                $"{run.ForgettingPoints.ToString("0.0", CultureInfo.InvariantCulture)}", ReportMarkdown.FormatAtChance(run));
        }
        console.Write(runs);
        console.MarkupLine("★ frontier · at chance: knowledge and skill suites the base knows that are at chance (catastrophic above half)");
    }

    /// <summary>A, B, …, Z, AA, AB, …: spreadsheet column letters.</summary>
    public static string Letter(int index)
    {
        var letters = "";
        for (var i = index + 1; i > 0; i = (i - 1) / 26) letters = (char)('A' + (i - 1) % 26) + letters;
        return letters;
    }

    private static string Summary(RunReport run)
    {
        var parts = new List<string> { StatusName(run.Status) + (run.Reason is null ? "" : $" ({run.Reason})") };
        if (run.Severity is { } s) parts.Add("severity " + ReportMarkdown.SeverityName(s));
        parts.Add("target gain " + run.TargetGainPoints.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture));
        parts.Add("forgetting " + run.ForgettingPoints.ToString("0.0", CultureInfo.InvariantCulture));
        if (run.ParetoOptimal) parts.Add("★ frontier");
        return string.Join(" · ", parts);
    }

    /// <summary>Δ [CI] without a continuous suite's relative change, which the Markdown report keeps: it would not fit 80 columns.</summary>
    private static string ChangeWithoutRelative(SuiteResult r) => ReportMarkdown.FormatChange(r with { RelativeChange = null });

    private static string Label(SuiteResult r) =>
        r.Severity is null && r.NotKnownByBase ? NotKnownShort : ReportMarkdown.FormatLabel(r);

    private static string Kept(SuiteResult r) =>
        r.BaseCompetence is { Known: true } && r.KnownItemRetention is { } kept && r.KnownItemRetentionCi95 is [var low, var high]
            ? string.Create(CultureInfo.InvariantCulture, $"{100 * kept:0} [{100 * low:0}, {100 * high:0}]")
            : "–";

    private static string StatusName(RunStatus status) => status switch
    {
        RunStatus.StoppedEarly => "stopped early",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string Colour(SuiteResult r, string text) => r.Severity switch
    {
        Severity.AtChance or Severity.Catastrophic => $"[bold red]{text}[/]",
        Severity.Severe => $"[red]{text}[/]",
        Severity.Moderate => $"[darkorange]{text}[/]",
        Severity.Mild => $"[yellow]{text}[/]",
        null when r.NotKnownByBase => $"[yellow]{text}[/]",
        _ => text,
    };
}
