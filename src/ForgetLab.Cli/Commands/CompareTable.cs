using System.Globalization;
using System.Text.Json.Nodes;

namespace ForgetLab.Cli.Commands;

/// <summary>
/// Prints <c>GET /api/v1/compare</c>: one row per suite, each run's delta against its own base side
/// by side, then each later run against the first on the items both were scored on (Δ, 95% CI, p,
/// lost/gained), or why it could not be paired. Plain text, so it pipes and diffs.
/// </summary>
internal static class CompareTable
{
    public static void Write(JsonNode comparison, TextWriter output)
    {
        var runs = comparison["runs"]!.AsArray().Select(r => r!).ToList();
        var reference = (string)comparison["reference"]!;
        output.WriteLine($"reference: {reference}");
        foreach (var run in runs)
            output.WriteLine($"  {(string)run["run"]!}: {(string)run["method"]!}, {(string)run["status"]!}, final step {run["finalStep"]?.ToString() ?? "-"}, "
                             + $"severity {run["severity"]?.ToString() ?? "-"}, target gain {F((double)run["targetGainPoints"]!)}, forgetting {F((double)run["forgettingPoints"]!)}");
        output.WriteLine();

        var header = new List<string> { "suite", "category" };
        header.AddRange(runs.Select((_, i) => $"Δ{Label(i)}"));
        header.AddRange(runs.Skip(1).Select((_, i) => $"{Label(i + 1)}−{Label(0)} paired (95% CI) p, n, lost/gained"));
        var rows = new List<List<string>> { header };
        foreach (var suite in comparison["suites"]!.AsArray().Select(s => s!))
        {
            var row = new List<string> { $"{(string)suite["suite"]!}", (string)suite["category"]! };
            // A suite that run's base does not know has a delta but no meaning as forgetting: say so in the cell.
            row.AddRange(suite["runs"]!.AsArray().Select(r => $"{F((double)r!["deltaPoints"]!)} (v{(string)r["version"]!}){((bool?)r["notKnownByBase"] == true ? ", not known" : "")}"));
            row.AddRange(suite["paired"]!.AsArray().Select(p => (bool)p!["paired"]!
                ? $"{F((double)p["deltaPoints"]!)} [{F((double)p["ci95"]![0]!)}, {F((double)p["ci95"]![1]!)}] p={((double)p["pValue"]!).ToString("0.###", CultureInfo.InvariantCulture)}, n={(int)p["n"]!}, {(int)p["lost"]!}/{(int)p["gained"]!}"
                : $"not paired: {(string)p["reason"]!}"));
            rows.Add(row);
        }

        var widths = Enumerable.Range(0, header.Count).Select(c => rows.Max(r => c < r.Count ? r[c].Length : 0)).ToArray();
        foreach (var (row, index) in rows.Select((r, i) => (r, i)))
        {
            output.WriteLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
            if (index == 0) output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        }

        output.WriteLine();
        for (var i = 0; i < runs.Count; i++) output.WriteLine($"{Label(i)} = {(string)runs[i]["run"]!}");
        if (comparison["onlyInSome"]!.AsArray() is { Count: > 0 } some)
            output.WriteLine($"left out (not evaluated on every run): {string.Join(", ", some.Select(s => (string)s!))}");
    }

    private static string Label(int index) => ((char)('A' + index)).ToString();

    private static string F(double value) => value.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture);
}
