using System.Diagnostics;
using System.Runtime.InteropServices;
using ForgetLab.Bench.Scheduler;
using ForgetLab.Bench.Scheduler.Simulation;

// Scheduler benchmark: decisions per second and fairness of FairSharePolicy at platform scale, and a
// discrete-event simulation of today's policy against the new one on the same traces.
// Usage: dotnet run -c Release --project bench/ForgetLab.Bench.Scheduler [-- [throughput|decisions|simulate] [--seed N] [--days D] [--plot FILE]]
// "decisions" is the new policy's single-device decisions alone (gang reservation, placement and preemption).
// "grain" measures them through the pool grain (an in-process silo) beside the Core path in the same process: [-- grain [--seconds S]].
var mode = args.FirstOrDefault(a => a is "throughput" or "decisions" or "simulate" or "grain") ?? "all";
var seed = Option("--seed") is { } s ? int.Parse(s) : 42;
var plot = Option("--plot");
var days = Option("--days") is { } d ? double.Parse(d, System.Globalization.CultureInfo.InvariantCulture) : 7;

Console.WriteLine($".NET {Environment.Version}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical cores, "
    + $"server GC {System.Runtime.GCSettings.IsServerGC}, Debug {Debugger.IsAttached}");
Console.WriteLine();

if (mode is "all" or "throughput")
{
    Console.WriteLine($"Scheduler benchmark — {SchedulerSimulation.Workers:N0} workers × {SchedulerSimulation.DevicesPerWorker} devices, "
        + $"{SchedulerSimulation.Tenants} tenants (weights from {{1,2,4}}), {SchedulerSimulation.QueuedRuns:N0} queued runs, seed {seed}");
    Console.WriteLine();
    foreach (var mix in RunMix.All)
    {
        new SchedulerSimulation(mix, seed).Report(Console.Out);
    }
}

if (mode is "all" or "throughput" or "decisions")
{
    foreach (var mix in RunMix.All)
    {
        new NewPolicyThroughput(mix, seed).Report(Console.Out);
    }
}

if (mode is "grain")
{
    var seconds = Option("--seconds") is { } sec ? double.Parse(sec, System.Globalization.CultureInfo.InvariantCulture) : 20;
    Console.WriteLine($"Pool grain against the Core policy — {SchedulerSimulation.Workers:N0} workers × {SchedulerSimulation.DevicesPerWorker} devices, "
        + $"{SchedulerSimulation.Tenants} tenants, {SchedulerSimulation.QueuedRuns:N0} queued runs, 1-device runs, seed {seed}");
    Console.WriteLine();
    var core = new NewPolicyThroughput(RunMix.All[0], seed).Report(Console.Out);
    var grain = await GrainThroughput.Report(seed, seconds, Console.Out);
    Console.WriteLine($"Through the grain: {grain:N0} decisions/s; Core (indexed), same process: {core:N0} decisions/s; ratio grain / Core = {grain / core:P2} (1 : {core / grain:N0}).");
}

if (mode is "all" or "simulate")
{
    Console.WriteLine("## Simulation: today's policy against the new one");
    Console.WriteLine();
    var setup = new SimulationSetup { HorizonHours = 24 * days };
    var clock = Stopwatch.StartNew();
    var results = SimulationReport.RunAll(setup, seed);
    SimulationReport.Write(setup, seed, results, Console.Out);
    Console.WriteLine($"Simulated in {clock.Elapsed.TotalSeconds:F1} s.");
    if (plot is not null)
    {
        File.WriteAllText(plot, SimulationReport.Plot(results));
        Console.WriteLine($"Plot written to {plot}.");
    }
}

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
