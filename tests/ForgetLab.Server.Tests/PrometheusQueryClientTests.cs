using System.Net;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;
using ForgetLab.Server.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ForgetLab.Server.Tests;

/// <summary>
/// The dashboard's Prometheus client against a recorded HTTP handler (unit tests: what it sends and how
/// it reads answers and refusals; MetricsTests asks a real Prometheus), and the worst-delta rule of the gauges.
/// </summary>
public sealed class PrometheusQueryClientTests
{
    private sealed class Recorded(HttpStatusCode status, string body) : HttpMessageHandler
    {
        public List<(Uri Uri, Dictionary<string, string> Form)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancel)
        {
            var form = (await request.Content!.ReadAsStringAsync(cancel)).Split('&')
                .Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
            Requests.Add((request.RequestUri!, form));
            return new HttpResponseMessage(status) { Content = new StringContent(body) };
        }
    }

    private static PrometheusQueryClient Client(HttpMessageHandler handler, string? url = "http://prometheus:9090/") =>
        new(new HttpClient(handler), Options.Create(new PrometheusOptions { Url = url is null ? null : new Uri(url) }));

    [Fact]
    public async Task QueryRangeAsksForTheWindowAndStepAndReadsEverySeriesPoint()
    {
        var handler = new Recorded(HttpStatusCode.OK, """
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"tenant":"acme"},"values":[[1764061200,"3"],[1764061215,"NaN"],[1764061230,"+Inf"]]},
              {"metric":{"tenant":"globex"},"values":[[1764061200,"0.5"]]}]}}
            """);
        var start = DateTimeOffset.FromUnixTimeSeconds(1764061200);

        var series = await Client(handler).QueryRange("max by (tenant) (forgetlab_queue_depth)", start, start.AddSeconds(30), TimeSpan.FromSeconds(15),
            TestContext.Current.CancellationToken);

        var (uri, form) = Assert.Single(handler.Requests);
        Assert.Equal("http://prometheus:9090/api/v1/query_range", uri.ToString());
        Assert.Equal("max by (tenant) (forgetlab_queue_depth)", form["query"]);
        Assert.Equal(("1764061200", "1764061230", "15"), (form["start"], form["end"], form["step"]));
        Assert.Equal(2, series.Count);
        Assert.Equal("acme", series[0].Labels["tenant"]);
        Assert.Equal("tenant=acme", series[0].Legend);
        Assert.Equal([3, double.NaN, double.PositiveInfinity], series[0].Points.Select(p => p.Value));
        Assert.Equal(start.AddSeconds(15), series[0].Points[1].Time);
        Assert.Equal(0.5, Assert.Single(series[1].Points).Value);
    }

    [Fact]
    public async Task AnInstantQueryKeepsThePathOfAPrometheusBehindAPrefix()
    {
        var handler = new Recorded(HttpStatusCode.OK, """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up"},"value":[1764061200,"1"]}]}}""");

        var series = await Client(handler, "http://monitor/prometheus").Query("up", cancel: TestContext.Current.CancellationToken);

        Assert.Equal("http://monitor/prometheus/api/v1/query", handler.Requests.Single().Uri.ToString());
        Assert.Equal("up", Assert.Single(series).Legend);
        Assert.Equal(1, series[0].Points.Single().Value);
    }

    [Fact]
    public async Task ARefusedQueryNamesTheQueryAndPrometheusReason()
    {
        var handler = new Recorded(HttpStatusCode.BadRequest,
            """{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected right parenthesis ')'"}""");

        var e = await Assert.ThrowsAsync<PrometheusQueryException>(() => Client(handler).Query("sum(x))", cancel: TestContext.Current.CancellationToken));

        Assert.Contains("'sum(x))'", e.Message);
        Assert.Contains("bad_data", e.Message);
        Assert.Contains("unexpected right parenthesis", e.Message);
    }

    [Fact]
    public async Task WithoutAnAddressItSaysWhichSettingIsMissing()
    {
        var client = Client(new Recorded(HttpStatusCode.OK, "{}"), url: null);

        Assert.False(client.IsConfigured);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => client.QueryRange("up", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken));
        Assert.Contains("ForgetLab:Prometheus:Url", e.Message);
    }

    [Fact]
    public void TheServerRegistersTheClientWithTheConfiguredAddress()
    {
        var builder = WebApplication.CreateBuilder(["--ForgetLab:Prometheus:Url", "http://prometheus:9090/"]);
        builder.AddForgetLabMetrics();
        using var app = builder.Build();

        var client = app.Services.GetRequiredService<PrometheusQueryClient>();

        Assert.True(client.IsConfigured);
        Assert.Equal(new Uri("http://prometheus:9090/"), client.Address);
    }

    [Fact]
    public void TheWorstDeltaIsTheLowestAccuracyChangePerCategoryOverEndedRuns()
    {
        static SuiteResult Suite(string name, SuiteCategory category, OutcomeKind kind, double delta) =>
            new(name, "1", category, "acc", kind, 50, 50 + delta, delta, null, [delta - 1, delta + 1], 0.01, 0.02, null, null, 100, [], []);
        static RunReport Run(params SuiteResult[] suites) =>
            new("r", "full", RunStatus.Completed, new Dictionary<string, string>(), null, 0, 0, false, suites, []);

        var worst = PlatformSampler.WorstPerCategory("acme", "exp", [
            Run(Suite("capitals", SuiteCategory.Knowledge, OutcomeKind.Binary, -12), Suite("text", SuiteCategory.Language, OutcomeKind.Continuous, 0.4)),
            Run(Suite("capitals", SuiteCategory.Knowledge, OutcomeKind.Binary, -30), Suite("sums", SuiteCategory.Skill, OutcomeKind.Binary, 2)),
        ]).ToList();

        Assert.Equal([new WorstDelta("acme", "exp", "knowledge", -30), new WorstDelta("acme", "exp", "skill", 2)], worst);
    }
    [Fact]
    public void TheRlGaugesTakeTheHighestRewardAndTheLargestKlOverEndedRunsLastCheckpoints()
    {
        static RewardMeasurement Reward(double mean) => new(mean, new Dictionary<string, double> { ["format"] = mean }, 16);
        static CheckpointReport Checkpoint(long step, RlMeasurement? rl) => new(step, 1.0, []) { Rl = rl };
        static RunReport Run(params CheckpointReport[] checkpoints) =>
            new("r", "full", RunStatus.Completed, new Dictionary<string, string>(), null, 0, 0, false, [], checkpoints);

        var sample = PlatformSampler.RewardAndKl("acme", "exp", [
            // The first run's reward fell after its early checkpoint: its last checkpoint counts, not its best.
            Run(Checkpoint(10, new RlMeasurement(Reward(0.9), Reward(0.8), 0.1, 0.2, 1, 3)), Checkpoint(20, new RlMeasurement(Reward(0.4), Reward(0.3), 2.5, 0.5, 1, 3))),
            Run(Checkpoint(20, new RlMeasurement(Reward(0.7), null, 0.3, 1.5, 1, 3))),
            Run(Checkpoint(20, null)),   // a supervised run beside them measures no reward
        ]);

        Assert.Equal(new RlSample("acme", "exp", 0.7, 0.3, 2.5, 1.5), sample);
        Assert.Null(PlatformSampler.RewardAndKl("acme", "sft", [Run(Checkpoint(20, null))]));
        // DPO measures KL but has no reward: the reward gauges have no series for it.
        Assert.Equal(new RlSample("acme", "dpo", null, null, 0.2, 0.4), PlatformSampler.RewardAndKl("acme", "dpo", [Run(Checkpoint(5, new RlMeasurement(null, null, 0.2, 0.4, 1, 3)))]));
    }
}
