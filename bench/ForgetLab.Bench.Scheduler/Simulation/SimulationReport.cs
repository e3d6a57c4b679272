using System.Globalization;
using ForgetLab.Core.Plots;
using ForgetLab.Core.Scheduling;

namespace ForgetLab.Bench.Scheduler.Simulation;

/// <summary>Runs every policy on the same traces and writes the tables (Markdown) and the plot (SVG).</summary>
internal static class SimulationReport
{
    private static readonly int[] SizesShown = [1, 2, 4, 8];

    public static IReadOnlyList<(string Trace, SimulationResult Result)> RunAll(SimulationSetup setup, int seed)
    {
        var results = new List<(string, SimulationResult)>();
        foreach (var (name, bursty) in new[] { ("Poisson", false), ("bursty", true) })
        {
            var trace = Trace.Generate(setup, bursty, seed);
            foreach (var variant in new[] { PolicyVariant.Today, PolicyVariant.TodayWithMemoryFit, PolicyVariant.New, PolicyVariant.NewWithoutReservation })
            {
                results.Add((name, new PoolSimulator(setup, variant, trace).Run()));
            }
        }

        return results;
    }

    public static void Write(SimulationSetup setup, int seed, IReadOnlyList<(string Trace, SimulationResult Result)> results, TextWriter output)
    {
        output.WriteLine($"Pool: {setup.Workers} workers × {setup.DevicesPerWorker} cuda devices ({setup.DeviceCount} devices; half {setup.SmallDeviceGiB} GiB, half {setup.LargeDeviceGiB} GiB), "
            + $"{setup.Tenants.Count} tenants (weights 1/2/4, guarantees 80% of the pool by weight, skewed demand), {setup.HorizonHours / 24:0} days, offered load {setup.Load:0.00}, seed {seed}. "
            + $"Runs: sizes {string.Join("/", setup.Sizes.Select(s => s.Devices))} at {string.Join("/", setup.Sizes.Select(s => $"{100 * s.Probability:0}"))}%, "
            + $"lognormal length (median {setup.MedianHours} h, σ {setup.Sigma}, capped at 48 h), classes high/normal/low {100 * setup.HighShare:0}/{100 * (1 - setup.HighShare - setup.LowShare):0}/{100 * setup.LowShare:0}%, "
            + $"{100 * setup.LargeMemoryShare:0}% need {setup.LargeMemoryGiB} GiB per device (the rest {setup.SmallMemoryGiB} GiB); checkpoints every {setup.CheckpointEveryHours * 60:0} min, "
            + $"a preemption's checkpoint {setup.CheckpointHours * 60:0} min and resume {setup.ResumeHours * 60:0} min; gang wait bound {setup.GangWaitBound.TotalHours:0.#} h, at most {setup.MaxGangReservations} gang reservations. "
            + $"Traces: Poisson {results.First(r => r.Trace == "Poisson").Result.Runs.Count:N0} runs, bursty {results.First(r => r.Trace == "bursty").Result.Runs.Count:N0} runs "
            + $"(bursts at 3× the mean rate for ~{setup.BurstHours:0} h, 1/3× for ~{setup.CalmHours:0} h).");
        output.WriteLine();
        output.WriteLine("| trace | policy | useful utilisation | devices held | Jain (weighted, backlogged) | completed | never started | preemptions / run | runs preempted (most for one run) | lost to preemption (device-h) | at risk had checkpoints failed (device-h) | out-of-memory failures (device-h) | decisions | decisions/s |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (trace, r) in results)
        {
            output.WriteLine($"| {trace} | {r.Variant.Name} | {100 * r.Useful:F1}% | {100 * r.Busy:F1}% | {r.Jain:F3} | {r.Completed:N0} | {r.NotStarted:N0} | {r.PreemptionsPerRun:F3} | {r.RunsPreempted:N0} ({r.MostPreemptions}) | "
                + $"{r.PreemptionLostDeviceHours:N0} | {r.DeviceHoursAtRisk:N0} | {r.OutOfMemoryFailures:N0} ({r.OutOfMemoryLostDeviceHours:N0}) | {r.Decisions:N0} | {r.DecisionsPerSecond:N0} |");
        }

        output.WriteLine();
        output.WriteLine("Wait from arrival to first start, hours, p50 / p95 / p99, by class:");
        output.WriteLine();
        output.WriteLine("| trace | policy | high | normal | low |");
        output.WriteLine("|---|---|---:|---:|---:|");
        foreach (var (trace, r) in results)
        {
            output.WriteLine($"| {trace} | {r.Variant.Name} | {Cell(r.WaitsByClass(PriorityClass.High))} | {Cell(r.WaitsByClass(PriorityClass.Normal))} | {Cell(r.WaitsByClass(PriorityClass.Low))} |");
        }

        output.WriteLine();
        output.WriteLine("By size (devices per run):");
        output.WriteLine();
        output.WriteLine("| trace | policy | 1 | 2 | 4 | 8 |");
        output.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var (trace, r) in results)
        {
            output.WriteLine($"| {trace} | {r.Variant.Name} | {string.Join(" | ", SizesShown.Select(s => Cell(r.WaitsBySize(s))))} |");
        }

        output.WriteLine();
    }

    /// <summary>p95 wait by run size, one line per policy and trace.</summary>
    public static string Plot(IReadOnlyList<(string Trace, SimulationResult Result)> results)
    {
        var chart = new SimulationChart();
        return chart.Draw(results);
    }

    private static string Cell((double P50, double P95, double P99, int N) w) =>
        w.N == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{w.P50:F2} / {w.P95:F2} / {w.P99:F2}");

    private sealed class SimulationChart
    {
        public string Draw(IReadOnlyList<(string Trace, SimulationResult Result)> results)
        {
            var chart = new SvgChart
            {
                Title = "Scheduler simulation: p95 wait by run size",
                XLabel = "devices per run",
                YLabel = "p95 wait from arrival to first start (hours)",
                LogX = true,
            };
            var colour = 0;
            foreach (var (trace, r) in results)
            {
                var points = SizesShown.Select(s => (s, r.WaitsBySize(s))).Where(p => p.Item2.N > 0)
                    .Select(p => new ChartPoint(p.s, p.Item2.P95)).ToList();
                chart.Series.Add(new ChartSeries($"{r.Variant.Name}, {trace}", points, Line: true, Dashed: trace == "bursty", Color: SvgChart.Palette[colour++ % SvgChart.Palette.Length]));
            }

            chart.Notes.Add("solid: Poisson arrivals; dashed: bursty");
            return chart.ToSvg();
        }
    }
}
