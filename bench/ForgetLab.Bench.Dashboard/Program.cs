using System.Diagnostics;
using Bunit;
using ForgetLab.Dashboard.Components;
using ForgetLab.Dashboard.Data;
using ForgetLab.Dashboard.Pages.Experiments;
using ForgetLab.Dashboard.Tests;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

// The experiment page's first screen (grid page, heatmap of that page, frontier of every run,
// baseline) for an experiment of RUNS runs x SUITES suites, rendered by Blazor's renderer from one
// in-memory data call: the server-side cost a browser waits for before the first screen, without
// the network and the report's storage reads. Prints the median and worst of ROUNDS renders.
if (args.FirstOrDefault() == "browser")
{
    // Any further KEY=VALUE goes to each server started as configuration (e.g. ForgetLab:Dashboard:WarmUp=false).
    await ForgetLab.Bench.Dashboard.BrowserFirstScreen.Run([.. args[1..].SelectMany(a => a.Split('=', 2) is [var key, var value] ? new[] { "--" + key, value } : throw new ArgumentException($"'{a}' is not KEY=VALUE"))]);
    return;
}
if (args.FirstOrDefault() == "screenshot")
{
    await ForgetLab.Bench.Dashboard.PageScreenshot.Run(args[1..]);
    return;
}

var runs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 500;
var suites = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
const int Warmup = 3, Rounds = 15;

var data = new FakeDashboardData();
data.Experiments["big"] = SampleReports.Experiment("big", runs, suites);

var times = new List<double>();
for (var round = 0; round < Warmup + Rounds; round++)
{
    await using var context = new BunitContext();
    context.JSInterop.Mode = JSRuntimeMode.Loose;
    context.Services.AddMudServices();
    context.Services.AddSingleton<IDashboardData>(data);
    context.Services.AddSingleton(new PrerenderHandoff(TimeProvider.System));
    context.AddBunitPersistentComponentState();
    context.AddAuthorization().SetAuthorized("demo-member");
    context.SetRendererInfo(new RendererInfo("Static", isInteractive: false));

    var clock = Stopwatch.StartNew();
    var page = context.Render<ExperimentPage>(p => p.Add(c => c.ExperimentId, "big"));
    page.WaitForState(() => page.FindAll("#heatmap tbody tr").Count == Math.Min(25, runs), TimeSpan.FromSeconds(30));
    var markup = page.Markup.Length;
    clock.Stop();
    if (round >= Warmup) times.Add(clock.Elapsed.TotalMilliseconds);
    if (round == Warmup + Rounds - 1) Console.WriteLine($"first screen: {markup / 1024} KiB of HTML");
}

times.Sort();
Console.WriteLine($"experiment page, {runs} runs x {suites} suites: median {times[times.Count / 2]:0} ms, worst {times[^1]:0} ms over {Rounds} renders");
