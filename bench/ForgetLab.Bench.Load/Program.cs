using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ForgetLab.Bench.Load;
using ForgetLab.Dashboard.EndToEnd.Tests;
using ForgetLab.Server.Tests;

// The API under load while a run trains: Azurite, a server process and a worker process on
// loopback; a tiny training run is submitted, and while it trains the API is driven open-loop at
// RATE requests/s for SECONDS with a mix of what a team's dashboards, CI and scripts ask (lists,
// run details, the report, usage, and some bad specs), at most RATE x SECONDS requests, each with a
// 30 s timeout. Prints p50/p95/p99 latency per kind and overall, 429s apart from errors.
//   dotnet run --project bench/ForgetLab.Bench.Load -c Release -- [seconds=60] [rate=200]
//   dotnet run --project bench/ForgetLab.Bench.Load -c Release -- bomb
const string AdminKey = "bench-admin-key-0123456789";
if (args.FirstOrDefault() == "bomb")
{
    await ZipBombMemory.Run(AdminKey);
    return;
}
var seconds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 60;
var rate = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200;

await using var azurite = await Azurite.StartAsync();
const string cluster = "bench-load";
await using var server = await ServerProcess.StartAsync(azurite.ConnectionString, cluster, AdminKey);
var cache = Directory.CreateTempSubdirectory("forgetlab-bench-cache-").FullName;
await using var worker = await WorkerProcess.StartAsync(azurite.ConnectionString, cluster, TestWorlds.Small(), cache, "bench-worker");

// One team: a member key for its CI and scripts, a viewer key for its dashboards (limits are per key).
var (member, viewer) = await Tenant.Create(server, AdminKey, "bench");
using var memberApi = server.Client(member);
using var viewerApi = server.Client(viewer);
var submitted = await memberApi.PostAsync("api/v1/experiments", new StringContent(Tenant.TrainingSpec, Encoding.UTF8, "text/yaml"));
if (!submitted.IsSuccessStatusCode) throw new InvalidOperationException(await submitted.Content.ReadAsStringAsync());
var runId = (string)JsonNode.Parse(await memberApi.GetStringAsync("api/v1/experiments/load/runs"))!.AsArray()[0]!["runId"]!;
var state = await Tenant.WaitForRunState(memberApi, runId, ["Running", "Evaluating"], TimeSpan.FromMinutes(3));
Console.WriteLine($"run {runId}: {state} (training while the API is driven)");

var mix = new (string Kind, int Weight, Func<Task<HttpResponseMessage>> Send)[]
{
    ("GET experiments", 25, () => viewerApi.GetAsync("api/v1/experiments")),
    ("GET runs", 20, () => viewerApi.GetAsync("api/v1/experiments/load/runs")),
    ("GET run", 20, () => viewerApi.GetAsync($"api/v1/experiments/load/runs/{runId}")),
    ("GET report", 15, () => viewerApi.GetAsync("api/v1/experiments/load/report")),
    ("GET usage", 10, () => memberApi.GetAsync("api/v1/usage")),
    ("POST bad spec", 10, () => memberApi.PostAsync("api/v1/experiments", new StringContent(Tenant.BadSpec, Encoding.UTF8, "text/yaml"))),
};
var draws = mix.SelectMany(m => Enumerable.Repeat(m, m.Weight)).ToArray();
var results = new System.Collections.Concurrent.ConcurrentBag<(string Kind, double Ms, int Status)>();
var total = rate * seconds;
var random = new Random(1);
var inFlight = new List<Task>(total);
var clock = Stopwatch.StartNew();
for (var i = 0; i < total; i++)
{
    // Open loop: request i is due at i / rate seconds, whether or not earlier ones have answered.
    var due = TimeSpan.FromSeconds((double)i / rate);
    if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
    var (kind, _, send) = draws[random.Next(draws.Length)];
    inFlight.Add(Task.Run(async () =>
    {
        var start = Stopwatch.GetTimestamp();
        int status;
        try
        {
            using var response = await send().WaitAsync(TimeSpan.FromSeconds(30));
            await response.Content.ReadAsByteArrayAsync();
            status = (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or TaskCanceledException)
        {
            status = 0;
        }
        results.Add((kind, Stopwatch.GetElapsedTime(start).TotalMilliseconds, status));
    }));
}
await Task.WhenAll(inFlight);
var drove = clock.Elapsed;
var after = await memberApi.GetStringAsync($"api/v1/experiments/load/runs/{runId}");
Console.WriteLine($"sent {total} requests in {drove.TotalSeconds:0.0} s ({total / drove.TotalSeconds:0} /s); run afterwards: {(string)JsonNode.Parse(after)!["state"]!}");
Console.WriteLine();
Console.WriteLine("| kind | requests | p50 ms | p95 ms | p99 ms | 2xx | expected 4xx | 429 | 5xx | failed |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var group in results.GroupBy(r => r.Kind).OrderBy(g => Array.FindIndex(mix, m => m.Kind == g.Key)).Append(results.GroupBy(_ => "all").Single()))
    Console.WriteLine(Report.Row(group.Key, [.. group]));
await memberApi.PostAsync("api/v1/experiments/load/cancel", null);
