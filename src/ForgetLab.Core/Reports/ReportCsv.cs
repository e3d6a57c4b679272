using System.Globalization;
using System.Text;

namespace ForgetLab.Core.Reports;

/// <summary>
/// A report as CSV for spreadsheets: one row per run and suite (the final checkpoint's result),
/// with the run's method, status, severity and frontier membership repeated on each of its rows.
/// Columns are only ever added at the end, so spreadsheets built on the earlier ones keep working.
/// </summary>
public static class ReportCsv
{
    public const string Header = "run,method,status,run_severity,pareto_optimal,target_gain_points,forgetting_points,suite,version,category,metric,base,score,delta,ci95_low,ci95_high,p_value,p_holm,severity,retention,n,lost,gained,base_known,base_known_items,known_item_retention,known_item_retention_low,known_item_retention_high,run_at_chance_share";

    public static string Render(ForgettingReport report)
    {
        var csv = new StringBuilder().AppendLine(Header);
        foreach (var run in report.Runs)
            foreach (var s in run.Suites)
                csv.AppendLine(string.Join(',',
                    Field(run.Name), Field(run.Method), Json(run.Status), run.Severity is { } sev ? Json(sev) : "",
                    run.ParetoOptimal ? "true" : "false", Number(run.TargetGainPoints), Number(run.ForgettingPoints),
                    Field(s.Suite), Field(s.Version), Json(s.Category), Field(s.Metric), Number(s.Base), Number(s.Score), Number(s.DeltaPoints),
                    s.Ci95.Count == 2 ? Number(s.Ci95[0]) : "", s.Ci95.Count == 2 ? Number(s.Ci95[1]) : "",
                    Number(s.PValue), Number(s.PHolm), s.Severity is { } band ? Json(band) : "", s.Retention is { } r ? Number(r) : "",
                    s.N.ToString(CultureInfo.InvariantCulture), s.Lost.Count.ToString(CultureInfo.InvariantCulture), s.Gained.Count.ToString(CultureInfo.InvariantCulture),
                    s.BaseCompetence is { } g ? (g.Known ? "true" : "false") : "", s.BaseCompetence is { } k ? Number(k.KnownItems) : "",
                    s.KnownItemRetention is { } kept ? Number(kept) : "",
                    s.KnownItemRetentionCi95 is [var low, _] ? Number(low) : "", s.KnownItemRetentionCi95 is [_, var high] ? Number(high) : "",
                    run.AtChanceShare is { } share ? Number(share) : ""));
        return csv.ToString();
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The enum as report.json spells it (e.g. "stopped_early").</summary>
    private static string Json<T>(T value) where T : struct, Enum =>
        System.Text.Json.JsonSerializer.Serialize(value, ReportJson.Options).Trim('"');

    /// <summary>RFC 4180: quote a field holding a comma, quote or line break; double its quotes.</summary>
    private static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
