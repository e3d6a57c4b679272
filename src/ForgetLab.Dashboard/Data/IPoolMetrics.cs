namespace ForgetLab.Dashboard.Data;

/// <summary>
/// The pool's history for the Pool page's charts. The host (ForgetLab.Server) implements it over
/// Prometheus's HTTP API; when no Prometheus is configured <see cref="Source"/> is null and the
/// page says so instead of drawing charts. Platform-wide figures: only the admin-only Pool page shows them.
/// </summary>
public interface IPoolMetrics
{
    /// <summary>Where the series come from (the Prometheus address), for the charts' caption; null when none is configured.</summary>
    Uri? Source { get; }

    /// <summary>
    /// Every chart of the Pool page over the <paramref name="window"/> up to now. A chart whose query
    /// failed comes back with <see cref="PoolChart.Error"/> set and no lines; the others are unaffected.
    /// </summary>
    Task<IReadOnlyList<PoolChart>> Charts(TimeSpan window, CancellationToken cancel);
}

/// <summary>One chart: its title, the query that drew it, the unit of its values, its lines, or why it could not be drawn.</summary>
public sealed record PoolChart(string Title, string Query, string Unit, IReadOnlyList<PoolChartLine> Lines, string? Error = null);

/// <summary>One line of a chart: its legend and its points in time order (NaN where the source had no number).</summary>
public sealed record PoolChartLine(string Legend, IReadOnlyList<PoolChartPoint> Points);

public sealed record PoolChartPoint(DateTimeOffset Time, double Value);
