using System.Diagnostics;
using System.Runtime.InteropServices;
using ForgetLab.Bench.Scheduler;

// Scheduler benchmark: decisions per second and fairness of FairSharePolicy at platform scale.
// Usage: dotnet run -c Release --project bench/ForgetLab.Bench.Scheduler [-- --seed N]
var seed = args.Length == 2 && args[0] == "--seed" ? int.Parse(args[1]) : 42;

Console.WriteLine($"Scheduler benchmark — {SchedulerSimulation.Workers:N0} workers × {SchedulerSimulation.DevicesPerWorker} devices, "
    + $"{SchedulerSimulation.Tenants} tenants (weights from {{1,2,4}}), {SchedulerSimulation.QueuedRuns:N0} queued runs, seed {seed}");
Console.WriteLine($".NET {Environment.Version}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical cores, "
    + $"server GC {System.Runtime.GCSettings.IsServerGC}, Debug {Debugger.IsAttached}");
Console.WriteLine();

foreach (var mix in RunMix.All)
{
    new SchedulerSimulation(mix, seed).Report(Console.Out);
}
