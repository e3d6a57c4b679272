using System.Diagnostics;
using ForgetLab.Dashboard.Data;
using ForgetLab.Dashboard.Warmup;
using ForgetLab.Server.Application;

namespace ForgetLab.Server.Dashboard;

/// <summary>
/// Before the server answers its first request, renders the experiment page once from a made-up experiment held in
/// memory (<see cref="WarmupExperiment"/>, <see cref="PageWarmup"/>), and reads the quickstart's spec as a submitted
/// experiment's spec is read. A fresh process compiles that code (the JIT) on first use, and without this the first
/// user to open an experiment waits for it. It starts while the silo starts and the web server waits for it. A failure
/// is logged and costs only the time: the server starts all the same. Off with <c>ForgetLab:Dashboard:WarmUp=false</c>.
/// </summary>
public sealed partial class FirstViewWarmup(Experiments experiments, ILoggerFactory loggers, TimeProvider time, ILogger<FirstViewWarmup> logger)
    : IHostedLifecycleService
{
    public const string Setting = "ForgetLab:Dashboard:WarmUp";

    private const int Rounds = 4;

    private Task _warmup = Task.CompletedTask;

    /// <summary>Every hosted service's StartingAsync runs before the first StartAsync, so the render overlaps the silo's start.</summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _warmup = Task.Run(Warm, cancellationToken);
        return Task.CompletedTask;
    }

    /// <summary>Hosted services start before the web server (it is registered last), so no request comes before this ends.</summary>
    public async Task StartAsync(CancellationToken cancellationToken) => await _warmup.WaitAsync(cancellationToken);

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task Warm()
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var spec = ExampleSpecs.All["quickstart"];
            // The page reads its experiment's spec (ExperimentReports: the base's name and hash); this is the same reader.
            if (experiments.Validate(spec) is { Count: > 0 } errors) throw new InvalidOperationException($"the quickstart spec is invalid: {errors[0].Path}: {errors[0].Message}");
            // A few times over: the runtime compiles a method fully (tier 1) only once it has been called 30 times.
            var html = "";
            for (var round = 0; round < Rounds; round++)
                html = await PageWarmup.RenderExperimentPage(WarmupExperiment.Build(spec, time.GetUtcNow()), loggers);
            Warmed(Rounds, clock.ElapsedMilliseconds, html.Length / 1024);
        }
        catch (Exception e)
        {
            // Only speed is at stake: the first view compiles what this did not.
            Failed(e, clock.ElapsedMilliseconds);
        }
    }

    [LoggerMessage(LogLevel.Information, "Rendered the experiment page of a made-up experiment {Rounds} times at start in {Milliseconds} ms ({KiB} KiB each), so a first view does not wait for the JIT")]
    private partial void Warmed(int rounds, long milliseconds, int kib);

    [LoggerMessage(LogLevel.Warning, "The start-up render of the experiment page failed after {Milliseconds} ms; the server starts without it, and the first view compiles the page")]
    private partial void Failed(Exception e, long milliseconds);
}
