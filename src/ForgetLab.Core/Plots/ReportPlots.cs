using System.Globalization;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;

namespace ForgetLab.Core.Plots;

/// <summary>One figure drawn from a report, and the lines that summarise it (fits, the front).</summary>
public sealed record PlotFile(string FileName, string Svg, IReadOnlyList<string> Summary);

/// <summary>
/// The figures a report gives, each only when the report has the data for it:
/// <list type="bullet">
/// <item><c>{prefix}-frontier.svg</c>: target gain against knowledge drop, one point per recipe (mean
/// over seeds with 95% t-intervals as error bars when runs have seeds), the Pareto front joined;</item>
/// <item><c>{prefix}-steps.svg</c> (and <c>-steps-kl.svg</c>): forgetting at every checkpoint against steps,
/// log-log, with a power law fitted per run (runs with at least three checkpoints);</item>
/// <item><c>{prefix}-params.svg</c> (and <c>-params-kl.svg</c>): final forgetting against LoRA's trainable
/// parameters, log-log, one fitted power law per set of target modules;</item>
/// <item><c>{prefix}-lr.svg</c>: final forgetting and target gain against the learning rate, per method
/// with at least two rates.</item>
/// </list>
/// Forgetting is the report's: the largest drop over binary knowledge and skill suites, in points;
/// the -kl variants use the kl_to_base suite (nats per token), which is positive for every changed
/// model and so has a logarithm where an accuracy drop of 0 has none.
/// </summary>
public static partial class ReportPlots
{
    private const string KlSuite = "kl_to_base";

    public static IReadOnlyList<PlotFile> Draw(ForgettingReport report, string prefix)
    {
        var files = new List<PlotFile> { Frontier(report, prefix) };
        var evaluated = report.Runs.Where(r => r.Checkpoints.Count > 0).ToList();
        if (evaluated.Count(r => r.Checkpoints.Count >= 3) > 0)
        {
            files.Add(Steps(evaluated, prefix + "-steps.svg", "knowledge drop (points)", s => KnowledgeDrop(s)));
            if (HasKl(evaluated)) files.Add(Steps(evaluated, prefix + "-steps-kl.svg", "KL to base (nats/token)", Kl));
        }

        var lora = evaluated.Select(r => (Run: r, Params: TrainableParameters.OfLora(r, report.Base.Model)))
            .Where(x => x.Params is not null).Select(x => (x.Run, Params: x.Params!.Value)).ToList();
        if (lora.Select(x => x.Params).Distinct().Count() >= 2)
        {
            files.Add(Params(lora, prefix + "-params.svg", "knowledge drop (points)", r => r.ForgettingPoints));
            if (HasKl(evaluated)) files.Add(Params(lora, prefix + "-params-kl.svg", "KL to base (nats/token)", r => Kl(r.Suites) ?? double.NaN));
        }

        var byMethod = evaluated.GroupBy(r => r.Method == "lora" ? "lora" : Hyper(r, "method") ?? r.Method)
            .Where(g => g.Select(r => Hyper(r, "lr")).Distinct().Count() >= 2).ToList();
        if (byMethod.Count > 0) files.Add(LearningRate(byMethod, prefix + "-lr.svg"));
        return files;
    }

    /// <summary>Worst drop (points, ≥ 0) over binary knowledge and skill suites of one evaluation, as the report defines forgetting.</summary>
    public static double KnowledgeDrop(IReadOnlyList<SuiteResult> suites) =>
        suites.Where(s => s.Kind == OutcomeKind.Binary && s.Category is SuiteCategory.Knowledge or SuiteCategory.Skill)
            .Select(s => -s.DeltaPoints).DefaultIfEmpty(0).Max() is var drop && drop > 0 ? drop : 0;

    private static double? Kl(IReadOnlyList<SuiteResult> suites) => suites.FirstOrDefault(s => s.Suite == KlSuite)?.Score;

    private static bool HasKl(IEnumerable<RunReport> runs) => runs.Any(r => Kl(r.Suites) is not null);

    private static string? Hyper(RunReport run, string key) => run.Hyperparameters.TryGetValue(key, out var v) ? v : null;

    private static PlotFile Frontier(ForgettingReport report, string prefix)
    {
        var chart = new SvgChart
        {
            Title = $"{report.SpecName}: what was learned against what was forgotten",
            XLabel = "knowledge drop (points, worst knowledge suite)",
            YLabel = "target gain (points)",
        };
        List<(string Name, ChartPoint Point)> points;
        if (report.SeedGroups.Count > 0)
        {
            var labels = ShortNames(report.SeedGroups.Select(g => g.Recipe).ToList());
            points = report.SeedGroups.Select((g, i) => (labels[i], new ChartPoint(
                g.ForgettingMean, g.TargetGainMean,
                g.ForgettingCi95?[0], g.ForgettingCi95?[1], g.TargetGainCi95?[0], g.TargetGainCi95?[1], labels[i]))).ToList();
            chart.Notes.Add($"mean over seeds ({report.SeedGroups.Max(g => g.Runs.Count)} seeds),");
            chart.Notes.Add("bars: 95% t-interval over seeds");
        }
        else
        {
            var runs = report.Runs.Where(r => r.Checkpoints.Count > 0).ToList();
            var labels = ShortNames(runs.Select(r => r.Name).ToList());
            points = runs.Select((r, i) => (labels[i], new ChartPoint(r.ForgettingPoints, r.TargetGainPoints, Label: labels[i]))).ToList();
        }

        // Recipes at the same point share one label ("naive, ewc-1e4") rather than printing over each other.
        points = [.. points.Select(p => (p.Name, p.Point with
        {
            Label = points.First(q => q.Point.X == p.Point.X && q.Point.Y == p.Point.Y).Name == p.Name
                ? string.Join(", ", points.Where(q => q.Point.X == p.Point.X && q.Point.Y == p.Point.Y).Select(q => q.Name))
                : null,
        }))];
        var front = ParetoFront.Compute([.. points.Select(p => (p.Name, p.Point.Y, p.Point.X))]).ToHashSet();
        chart.Series.Add(new ChartSeries("recipes", [.. points.Where(p => !front.Contains(p.Name)).Select(p => p.Point)], Color: "#1f77b4"));
        chart.Series.Add(new ChartSeries("Pareto front", [.. points.Where(p => front.Contains(p.Name)).Select(p => p.Point).OrderBy(p => p.X)],
            Line: true, Color: "#d62728"));
        var summary = new List<string> { "Pareto front (by mean): " + string.Join(", ", points.Where(p => front.Contains(p.Name)).OrderBy(p => p.Point.X).Select(p => p.Name)) };
        return new PlotFile(prefix + "-frontier.svg", chart.ToSvg(), summary);
    }

    private static PlotFile Steps(IReadOnlyList<RunReport> runs, string file, string measure, Func<IReadOnlyList<SuiteResult>, double?> value)
    {
        var chart = new SvgChart { Title = $"Forgetting against fine-tuning steps", XLabel = "step", YLabel = measure, LogX = true, LogY = true };
        var labels = ShortNames(runs.Select(r => r.Name).ToList());
        var summary = new List<string>();
        for (var i = 0; i < runs.Count; i++)
        {
            var color = SvgChart.Palette[i % SvgChart.Palette.Length];
            var points = runs[i].Checkpoints.Select(c => new ChartPoint(c.Step, value(c.Suites) ?? double.NaN)).ToList();
            chart.Series.Add(new ChartSeries(labels[i], points, Line: true, Color: color));
            if (PowerLawFit.Fit(points.Select(p => (p.X, p.Y))) is { } fit)
            {
                chart.Series.Add(FitSeries(fit, points.Select(p => p.X).ToList(), color));
                summary.Add(FitLine(labels[i], fit, points.Count));
            }
            else summary.Add($"{labels[i]}: no fit (fewer than two checkpoints with forgetting > 0)");
        }

        chart.Notes.Add("dashed: y = a·step^b, per run");
        chart.Notes.Add("(least squares in log-log)");
        return new PlotFile(file, chart.ToSvg(), [$"{file} — {measure}:", .. summary]);
    }

    private static PlotFile Params(IReadOnlyList<(RunReport Run, long Params)> runs, string file, string measure, Func<RunReport, double> value)
    {
        var chart = new SvgChart
        {
            Title = "Final forgetting against LoRA's trainable parameters", XLabel = "trainable parameters", YLabel = measure, LogX = true, LogY = true,
        };
        var summary = new List<string>();
        var groups = runs.GroupBy(x => x.Run.Hyperparameters.GetValueOrDefault("lora_target_modules", "?")).ToList();
        for (var i = 0; i < groups.Count; i++)
        {
            var color = SvgChart.Palette[i % SvgChart.Palette.Length];
            var points = groups[i].OrderBy(x => x.Params)
                .Select(x => new ChartPoint(x.Params, value(x.Run), Label: "r" + x.Run.Hyperparameters.GetValueOrDefault("lora_rank", "?"))).ToList();
            var name = "LoRA on " + groups[i].Key;
            chart.Series.Add(new ChartSeries(name, points, Line: true, Color: color));
            if (PowerLawFit.Fit(points.Select(p => (p.X, p.Y))) is { } fit)
            {
                chart.Series.Add(FitSeries(fit, points.Select(p => p.X).ToList(), color));
                summary.Add(FitLine(name, fit, points.Count));
            }
            else summary.Add($"{name}: no fit (fewer than two runs with forgetting > 0)");
        }

        if (groups.Count > 1 && PowerLawFit.Fit(runs.Select(x => ((double)x.Params, value(x.Run)))) is { } pooled)
            summary.Add(FitLine("all LoRA runs pooled", pooled, runs.Count));
        chart.Notes.Add("dashed: y = a·params^b, per set");
        chart.Notes.Add("(least squares in log-log)");
        return new PlotFile(file, chart.ToSvg(), [$"{file} — {measure}:", .. summary]);
    }

    private static PlotFile LearningRate(IReadOnlyList<IGrouping<string, RunReport>> byMethod, string file)
    {
        var chart = new SvgChart { Title = "Forgetting and target gain against the learning rate", XLabel = "learning rate", YLabel = "points", LogX = true };
        var summary = new List<string> { $"{file}:" };
        var i = 0;
        foreach (var g in byMethod)
        {
            var runs = g.Select(r => (Lr: double.Parse(Hyper(r, "lr")!, CultureInfo.InvariantCulture), Run: r)).OrderBy(x => x.Lr).ToList();
            chart.Series.Add(new ChartSeries($"{g.Key}: knowledge drop", [.. runs.Select(x => new ChartPoint(x.Lr, x.Run.ForgettingPoints))],
                Line: true, Color: SvgChart.Palette[i++ % SvgChart.Palette.Length]));
            chart.Series.Add(new ChartSeries($"{g.Key}: target gain", [.. runs.Select(x => new ChartPoint(x.Lr, x.Run.TargetGainPoints))],
                Line: true, Dashed: true, Color: SvgChart.Palette[i++ % SvgChart.Palette.Length]));
            summary.AddRange(runs.Select(x => F($"{g.Key} lr {x.Lr:G3}: knowledge drop {x.Run.ForgettingPoints:0.0}, target gain {x.Run.TargetGainPoints:0.0}")));
        }

        return new PlotFile(file, chart.ToSvg(), summary);
    }

    private static ChartSeries FitSeries(PowerLawFit fit, IReadOnlyList<double> xs, string color)
    {
        var (lo, hi) = (xs.Where(x => x > 0).Min(), xs.Max());
        var line = Enumerable.Range(0, 21).Select(k => lo * Math.Pow(hi / lo, k / 20.0)).Select(x => new ChartPoint(x, fit.At(x))).ToList();
        return new ChartSeries("fit", line, Line: true, Markers: false, Dashed: true, Color: color, InLegend: false);
    }

    private static string FitLine(string name, PowerLawFit fit, int points) =>
        F($"{name}: y = {fit.A:G3}·x^{fit.Exponent:0.000}, R² = {fit.RSquared:0.000} ({fit.Used} of {points} points)");

    /// <summary>
    /// Names without the dash-separated parts every name shares ("naive-full-lr1e-4-steps80" → "naive"),
    /// and without the consolidation suffix ("-ewc1e7") when the names stay distinct without it (variants
    /// already say what they change).
    /// </summary>
    internal static IReadOnlyList<string> ShortNames(IReadOnlyList<string> names)
    {
        if (names.Count < 2) return names;
        var bare = names.Select(n => ConsolidationSuffix().Replace(n, "")).ToList();
        if (bare.Distinct().Count() == names.Count) names = bare;
        var parts = names.Select(n => n.Split('-')).ToList();
        var shared = parts.Skip(1).Aggregate(parts[0].ToHashSet(), (set, p) => { set.IntersectWith(p); return set; });
        return parts.Select((p, i) => p.Where(x => !shared.Contains(x)).ToList() is { Count: > 0 } kept ? string.Join('-', kept) : names[i]).ToList();
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    [System.Text.RegularExpressions.GeneratedRegex(@"(-(replay\d+(\.\d+)?|(ewc|l2sp|distill)\d+(\.\d+)?e-?\d+))+$")]
    private static partial System.Text.RegularExpressions.Regex ConsolidationSuffix();
}
