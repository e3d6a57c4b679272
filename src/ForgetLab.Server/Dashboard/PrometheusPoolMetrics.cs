using ForgetLab.Dashboard.Data;
using ForgetLab.Server.Observability;

namespace ForgetLab.Server.Dashboard;

/// <summary>
/// The Pool page's charts (<see cref="PoolCharts.All"/>) read from the configured Prometheus, all
/// queries at once. A query that fails becomes that chart's error (it names the query and why), so
/// one bad expression or a Prometheus that went away never blanks the whole page.
/// </summary>
public sealed class PrometheusPoolMetrics(PrometheusQueryClient prometheus) : IPoolMetrics
{
    /// <summary>About this many points per line, whatever the window: enough for a smooth line, few enough to draw fast.</summary>
    public const int PointsPerLine = 60;

    public Uri? Source => prometheus.Address;

    public async Task<IReadOnlyList<PoolChart>> Charts(TimeSpan window, CancellationToken cancel)
    {
        if (window <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(window), window, "the window must be positive");
        if (!prometheus.IsConfigured) return [];
        var end = DateTimeOffset.UtcNow;
        var start = end - window;
        // Never finer than Prometheus's usual 15 s scrape: finer steps only repeat the same samples.
        var step = TimeSpan.FromSeconds(Math.Max(15, Math.Ceiling(window.TotalSeconds / PointsPerLine)));
        return await Task.WhenAll(PoolCharts.All.Select(chart => Draw(chart, start, end, step, cancel)));
    }

    private async Task<PoolChart> Draw(ChartQuery chart, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancel)
    {
        try
        {
            var series = await prometheus.QueryRange(chart.PromQl, start, end, step, cancel);
            return new PoolChart(chart.Title, chart.PromQl, chart.Unit,
                [.. series.Select(s => new PoolChartLine(s.Legend, [.. s.Points.Select(p => new PoolChartPoint(p.Time, p.Value))])).OrderBy(l => l.Legend, StringComparer.Ordinal)]);
        }
        catch (PrometheusQueryException e)
        {
            return new PoolChart(chart.Title, chart.PromQl, chart.Unit, [], e.Message);
        }
    }
}
