using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ForgetLab.Server.Observability;

/// <summary>
/// Reads time series from Prometheus's HTTP API (<c>/api/v1/query_range</c> for charts,
/// <c>/api/v1/query</c> for one instant) at <see cref="PrometheusOptions.Url"/>. When no address is
/// configured <see cref="IsConfigured"/> is false and the dashboard says so instead of drawing charts.
/// </summary>
public sealed class PrometheusQueryClient(HttpClient http, IOptions<PrometheusOptions> options)
{
    public bool IsConfigured => options.Value.Url is not null;

    /// <summary>The configured Prometheus, for "charts from …" captions; null when none is.</summary>
    public Uri? Address => options.Value.Url;

    /// <summary>The series of <paramref name="promql"/> from <paramref name="start"/> to <paramref name="end"/>, one point per <paramref name="step"/>.</summary>
    public Task<IReadOnlyList<PrometheusSeries>> QueryRange(string promql, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancel = default)
    {
        if (end < start) throw new ArgumentException($"end {end:O} is before start {start:O}", nameof(end));
        if (step <= TimeSpan.Zero) throw new ArgumentException($"step must be positive, got {step}", nameof(step));
        return Ask("api/v1/query_range", promql, new Dictionary<string, string>
        {
            ["start"] = Unix(start),
            ["end"] = Unix(end),
            ["step"] = step.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        }, cancel);
    }

    /// <summary>The series of <paramref name="promql"/> at one instant (now when <paramref name="at"/> is null), one point each.</summary>
    public Task<IReadOnlyList<PrometheusSeries>> Query(string promql, DateTimeOffset? at = null, CancellationToken cancel = default) =>
        Ask("api/v1/query", promql, at is { } time ? new Dictionary<string, string> { ["time"] = Unix(time) } : [], cancel);

    private async Task<IReadOnlyList<PrometheusSeries>> Ask(string path, string promql, Dictionary<string, string> parameters, CancellationToken cancel)
    {
        if (options.Value.Url is not { } url)
            throw new InvalidOperationException($"No Prometheus is configured: set {PrometheusOptions.Section}:Url (e.g. http://localhost:9090/).");
        if (string.IsNullOrWhiteSpace(promql)) throw new ArgumentException("the PromQL expression is empty", nameof(promql));

        parameters["query"] = promql;
        parameters["timeout"] = $"{options.Value.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)}s";
        var address = new Uri(url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/"), path);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds + 5));
        JsonDocument body;
        try
        {
            // POST with a form body: long expressions would not fit in a URL.
            using var response = await http.PostAsync(address, new FormUrlEncodedContent(parameters), timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            try
            {
                body = JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                throw new PrometheusQueryException($"Prometheus at {url} answered {(int)response.StatusCode} with no JSON for '{promql}': {Truncate(text)}", e);
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancel.IsCancellationRequested)
        {
            throw new PrometheusQueryException($"Prometheus at {url} could not be asked '{promql}': {e.Message}", e);
        }

        using (body)
        {
            var root = body.RootElement;
            if (root.GetProperty("status").GetString() != "success")
            {
                var type = root.TryGetProperty("errorType", out var t) ? t.GetString() : "error";
                var error = root.TryGetProperty("error", out var m) ? m.GetString() : "no reason given";
                throw new PrometheusQueryException($"Prometheus refused '{promql}' ({type}): {error}");
            }
            return Parse(root.GetProperty("data"));
        }
    }

    /// <summary>The <c>data</c> object of an answer: a matrix, a vector or a scalar.</summary>
    internal static IReadOnlyList<PrometheusSeries> Parse(JsonElement data)
    {
        var kind = data.GetProperty("resultType").GetString();
        var result = data.GetProperty("result");
        switch (kind)
        {
            case "matrix":
                return [.. result.EnumerateArray().Select(s => new PrometheusSeries(Labels(s), [.. s.GetProperty("values").EnumerateArray().Select(Point)]))];
            case "vector":
                return [.. result.EnumerateArray().Select(s => new PrometheusSeries(Labels(s), [Point(s.GetProperty("value"))]))];
            case "scalar":
                return [new PrometheusSeries(new Dictionary<string, string>(), [Point(result)])];
            default:
                throw new PrometheusQueryException($"Prometheus answered a result of type '{kind}', which charts cannot show");
        }
    }

    private static Dictionary<string, string> Labels(JsonElement series) =>
        series.TryGetProperty("metric", out var metric)
            ? metric.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal)
            : [];

    /// <summary>[unix seconds, "value"]: Prometheus writes values as strings, with NaN, +Inf and -Inf spelled so.</summary>
    private static PrometheusPoint Point(JsonElement pair)
    {
        var seconds = pair[0].GetDouble();
        var text = pair[1].GetString();
        var value = text switch
        {
            "NaN" => double.NaN,
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.Parse(text!, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new PrometheusPoint(DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)), value);
    }

    private static string Unix(DateTimeOffset time) => (time.ToUnixTimeMilliseconds() / 1000.0).ToString(CultureInfo.InvariantCulture);

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
