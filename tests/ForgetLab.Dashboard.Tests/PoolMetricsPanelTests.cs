using ForgetLab.Dashboard.Components;
using ForgetLab.Dashboard.Data;

namespace ForgetLab.Dashboard.Tests;

public sealed class PoolMetricsPanelTests : DashboardTestContext
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static PoolChartLine Line(string legend, params double[] values) =>
        new(legend, [.. values.Select((v, i) => new PoolChartPoint(Start.AddMinutes(i), v))]);

    [Fact]
    public void WithoutPrometheusItSaysChartsAreOffAndAsksForNothing()
    {
        var panel = Render<PoolMetricsPanel>();

        Assert.Contains("No Prometheus is configured (ForgetLab:Prometheus:Url)", panel.Find("#pool-metrics-off").TextContent);
        Assert.Empty(panel.FindAll("svg"));
        Assert.Empty(panel.FindAll("#pool-metrics-window"));
        Assert.Empty(PoolMetrics.Asked);
    }

    [Fact]
    public void DrawsOneChartPerQueryWithALegendPerSeriesAndNamesTheSource()
    {
        PoolMetrics.Source = new Uri("http://prometheus.example:9090/");
        PoolMetrics.Answer =
        [
            new PoolChart("Devices busy and free", "sum by (state) (forgetlab_pool_devices)", "devices",
                [Line("state=busy", 0, 1, 1, double.NaN, 1), Line("state=free", 1, 0, 0, 1, 0)]),
            new PoolChart("Queue depth by tenant", "max by (tenant) (forgetlab_queue_depth)", "runs", [Line("tenant=demo", 3, 2, 1, 0, 0)]),
        ];

        var panel = Render<PoolMetricsPanel>();

        Assert.Equal([TimeSpan.FromHours(1)], PoolMetrics.Asked);
        Assert.Contains("Prometheus at http://prometheus.example:9090/", panel.Find("#pool-metrics-source").TextContent);
        Assert.Contains("last 1 h", panel.Find("#pool-metrics-source").TextContent);
        var charts = panel.FindAll(".pool-chart");
        Assert.Equal(["Devices busy and free", "Queue depth by tenant"], charts.Select(c => c.GetAttribute("data-title")));
        Assert.All(charts, c => Assert.NotNull(c.QuerySelector("svg")));
        Assert.Contains("state=busy", charts[0].TextContent);
        Assert.Contains("state=free", charts[0].TextContent);
        Assert.Contains("tenant=demo", charts[1].TextContent);
        Assert.Empty(panel.FindAll(".pool-chart-error"));
    }

    [Fact]
    public void ChoosingAWindowAsksForIt()
    {
        PoolMetrics.Source = new Uri("http://127.0.0.1:9090/");
        var panel = Render<PoolMetricsPanel>();

        Assert.Equal("true", panel.Find("#pool-metrics-window-1h").GetAttribute("aria-pressed"));
        panel.Find("#pool-metrics-window-6h").Click();

        Assert.Equal([TimeSpan.FromHours(1), TimeSpan.FromHours(6)], PoolMetrics.Asked);
        Assert.Contains("last 6 h", panel.Find("#pool-metrics-source").TextContent);
        Assert.Equal("true", panel.Find("#pool-metrics-window-6h").GetAttribute("aria-pressed"));
        Assert.Contains("mud-button-filled", panel.Find("#pool-metrics-window-6h").ClassName);
        Assert.Equal("false", panel.Find("#pool-metrics-window-1h").GetAttribute("aria-pressed"));
    }

    [Fact]
    public void AFailedQueryShowsItsErrorAndTheQueryBesideTheChartsThatWorked()
    {
        PoolMetrics.Source = new Uri("http://127.0.0.1:9090/");
        PoolMetrics.Answer =
        [
            new PoolChart("Runs by state", "sum by (state) (forgetlab_runs)", "runs", [Line("state=Running", 1, 1)]),
            new PoolChart("Broken", "rate(forgetlab_nope[", "x", [], "Prometheus refused 'rate(forgetlab_nope[' (bad_data): unexpected end of input"),
        ];

        var panel = Render<PoolMetricsPanel>();

        var error = panel.Find(".pool-chart[data-title='Broken'] .pool-chart-error");
        Assert.Contains("rate(forgetlab_nope[", error.QuerySelector("code")!.TextContent);
        Assert.Contains("unexpected end of input", error.TextContent);
        Assert.Contains("state=Running", panel.Find(".pool-chart[data-title='Runs by state']").TextContent);
    }

    [Fact]
    public void APrometheusThatCannotBeReachedIsSaidSo()
    {
        PoolMetrics.Source = new Uri("http://127.0.0.1:9/");
        PoolMetrics.Failure = new HttpRequestException("Connection refused (127.0.0.1:9)");

        var panel = Render<PoolMetricsPanel>();

        Assert.Contains("Connection refused", panel.Find("#pool-metrics-failure").TextContent);
    }

    [Fact]
    public void LinesShareTheTimeAxisWithGapsForMissingAndNaNPoints()
    {
        var chart = new PoolChart("c", "q", "u",
        [
            Line("a", 1, double.NaN, 3),
            new PoolChartLine("b", [new PoolChartPoint(Start.AddMinutes(2), 5), new PoolChartPoint(Start.AddMinutes(3), 6)]),
        ]);

        var (labels, series) = PoolMetricsPanel.Lines(chart);

        Assert.Equal(4, labels.Count);
        Assert.Equal("12:00", labels[0]);
        Assert.Equal([1, null, 3, null], series["a"]);
        Assert.Equal([null, null, 5, 6], series["b"]);
    }
}
