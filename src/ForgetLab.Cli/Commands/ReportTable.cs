using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;
using Spectre.Console;

namespace ForgetLab.Cli.Commands;

/// <summary>The report as the terminal shows it: suites × runs (Δ, 95% CI, severity), then one line per run.</summary>
internal static class ReportTable
{
    public static void Write(ForgettingReport report)
    {
        var table = new Table().Title($"forgetting report: {report.SpecName}").AddColumn("suite").AddColumn("category").AddColumn(new TableColumn("base").RightAligned());
        foreach (var run in report.Runs) table.AddColumn(new TableColumn(Markup.Escape(run.Name)));
        foreach (var suite in report.Base.Suites)
        {
            var cells = new List<string> { Markup.Escape(suite.Suite), suite.Category.ToString().ToLowerInvariant(), $"{suite.Score:F1}" };
            foreach (var run in report.Runs)
            {
                var r = run.Suites.FirstOrDefault(s => s.Suite == suite.Suite);
                cells.Add(r is null ? "–" : Colour(r, Markup.Escape(ReportMarkdown.FormatCell(r))));
            }
            table.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(table);

        var runs = new Table().AddColumns("run", "status", "severity", "target gain", "forgetting", "frontier");
        foreach (var run in report.Runs)
            runs.AddRow(
                Markup.Escape(run.Name), run.Status.ToString().ToLowerInvariant() + (run.Reason is null ? "" : Markup.Escape($" ({run.Reason})")),
                run.Severity is { } s ? ReportMarkdown.SeverityName(s) : "–",
                $"{run.TargetGainPoints:+0.0;-0.0;0.0}", $"{run.ForgettingPoints:0.0}", run.ParetoOptimal ? "★" : "");
        AnsiConsole.Write(runs);
    }

    private static string Colour(SuiteResult r, string text) => r.Severity switch
    {
        Core.Analysis.Severity.Catastrophic or Core.Analysis.Severity.Severe => $"[red]{text}[/]",
        Core.Analysis.Severity.Moderate => $"[darkorange]{text}[/]",
        Core.Analysis.Severity.Mild => $"[yellow]{text}[/]",
        _ => text,
    };
}
