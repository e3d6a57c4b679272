using System.CommandLine;
using ForgetLab.Core.Plots;
using ForgetLab.Core.Reports;

namespace ForgetLab.Cli.Commands;

/// <summary><c>forgetlab plot REPORT.json</c>: the report's figures as SVG files, and the fits behind them.</summary>
internal static class PlotCommands
{
    public static Command Create()
    {
        var report = new Argument<string>("report") { Description = "a report.json written by `lab run` (or GET /api/v1/experiments/{id}/report from the platform)" };
        var outDir = new Option<string>("--out") { Description = "folder for the SVG files", DefaultValueFactory = _ => "plots" };
        var prefix = new Option<string?>("--prefix") { Description = "file name prefix (default: the report's spec name)" };
        var plot = new Command("plot",
            "draw a report's figures as SVG: the frontier (gain vs drop, seed intervals, Pareto front), and where the runs allow, " +
            "forgetting vs steps and vs LoRA parameters (log-log, power-law fits) and vs learning rate")
        {
            report, outDir, prefix,
        };
        plot.SetAction(parse => Exit.Guard(() =>
        {
            var path = parse.GetValue(report)!;
            var parsed = ReportFile.Read(path);

            var folder = parse.GetValue(outDir)!;
            Directory.CreateDirectory(folder);
            foreach (var file in ReportPlots.Draw(parsed, parse.GetValue(prefix) ?? parsed.SpecName))
            {
                File.WriteAllText(Path.Combine(folder, file.FileName), file.Svg);
                Console.WriteLine(Path.Combine(folder, file.FileName));
                foreach (var line in file.Summary) Console.WriteLine("  " + line);
            }

            return 0;
        }));
        return plot;
    }
}
