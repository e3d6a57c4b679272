namespace ForgetLab.Bench.Load;

/// <summary>One row of the latency table: nearest-rank percentiles, and the answers counted by kind.</summary>
internal static class Report
{
    public static string Row(string kind, IReadOnlyList<(string Kind, double Ms, int Status)> results)
    {
        var ms = results.Select(r => r.Ms).Order().ToArray();
        double P(double q) => ms[Math.Clamp((int)Math.Ceiling(q * ms.Length) - 1, 0, ms.Length - 1)];
        int Count(Func<int, bool> f) => results.Count(r => f(r.Status));
        return $"| {kind} | {results.Count} | {P(0.50):0.0} | {P(0.95):0.0} | {P(0.99):0.0} | {Count(s => s is >= 200 and < 300)} | " +
            $"{Count(s => s is >= 400 and < 500 and not 429)} | {Count(s => s == 429)} | {Count(s => s >= 500)} | {Count(s => s == 0)} |";
    }
}
