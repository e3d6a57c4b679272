namespace ForgetLab.Server.Observability;

/// <summary>One series of a Prometheus answer: its labels (<c>__name__</c> included when the answer kept it) and its points in time order.</summary>
public sealed record PrometheusSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<PrometheusPoint> Points)
{
    /// <summary>A short legend: the values of the labels, or the metric's name when it has none.</summary>
    public string Legend => Labels.Count == 0
        ? "value"
        : string.Join(", ", Labels.Where(l => l.Key != "__name__").Select(l => $"{l.Key}={l.Value}")) is { Length: > 0 } text ? text : Labels["__name__"];
}

/// <summary>A sample: its time and its value (NaN and infinities as Prometheus sent them).</summary>
public sealed record PrometheusPoint(DateTimeOffset Time, double Value);
