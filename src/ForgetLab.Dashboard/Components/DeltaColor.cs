using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;

namespace ForgetLab.Dashboard.Components;

/// <summary>
/// The heatmap's colour for a suite's change: red for worse, blue for better, stronger with size,
/// saturating at <see cref="SaturationPoints"/> points (binary suites) or percent (continuous
/// suites, in the direction the report records: <see cref="SuiteResult.IsHigherBetter"/>). Insignificant changes are drawn faint.
/// </summary>
public static class DeltaColor
{
    public const double SaturationPoints = 30;

    /// <summary>The change in "better is positive" units: points for binary suites, relative % for continuous ones.</summary>
    public static double Goodness(SuiteResult result)
    {
        if (result.Kind == OutcomeKind.Binary) return result.DeltaPoints;
        var relative = result.RelativeChange ?? 0;
        return result.IsHigherBetter() ? relative : -relative;
    }

    public static string Css(SuiteResult result)
    {
        // The base never knew the suite: grey, whatever the change, so it reads neither as forgetting nor as a gain.
        if (result.NotKnownByBase) return "background-color: #eceff1; color: #546e7a; font-style: italic";
        var goodness = Goodness(result);
        var strength = Math.Min(1, Math.Abs(goodness) / SaturationPoints);
        if (result.PHolm >= 0.05) strength *= 0.35;
        var alpha = (0.08 + 0.85 * strength).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        var text = strength > 0.6 ? "#fff" : "#000";
        return goodness < 0
            ? $"background-color: rgba(198, 40, 40, {alpha}); color: {text}"
            : $"background-color: rgba(21, 101, 192, {alpha}); color: {text}";
    }

    /// <summary>What hovering a cell says: the delta with its 95% CI, the p-values and the lost/gained counts.</summary>
    public static string Tooltip(string run, SuiteResult r)
    {
        var unit = r.Kind == OutcomeKind.Binary ? " pts" : "";
        var ci = r.Ci95.Count == 2 ? $"[{r.Ci95[0]:+0.00;-0.00}, {r.Ci95[1]:+0.00;-0.00}]" : "n/a";
        return $"{run} · {r.Suite} ({r.Category}, {r.Metric})\n" +
               $"base {r.Base:0.##} → {r.Score:0.##}: Δ {r.DeltaPoints:+0.00;-0.00}{unit}\n" +
               $"95% CI {ci}\n" +
               $"p = {r.PValue:0.####} (Holm {r.PHolm:0.####}), n = {r.N}\n" +
               $"lost {r.Lost.Count}, gained {r.Gained.Count}" +
               (r.Severity is { } s ? $"\nseverity: {ReportMarkdown.SeverityName(s)}" : "") +
               (r.NotKnownByBase ? $"\n{BaseCompetence.NotKnownLabel}: {ReportMarkdown.FormatCompetence(r)}" : "") +
               (r.BaseCompetence is { Known: true } && r.KnownItemRetention is { } kept ? $"\nknown items kept: {ReportMarkdown.FormatKept(r)} %" : "");
    }
}
