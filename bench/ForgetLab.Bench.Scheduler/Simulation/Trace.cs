using ForgetLab.Core.Scheduling;

namespace ForgetLab.Bench.Scheduler.Simulation;

/// <summary>
/// Arrival traces, the same for every policy: Poisson arrivals, or bursty ones (a two-state
/// Markov-modulated Poisson process: bursts at 3× the mean rate a quarter of the time, 1/3× the rest, so the
/// mean rate is the same), lognormal run lengths, sizes 1/2/4/8, classes and memory drawn per run,
/// tenants drawn by a skewed demand so some want more than their share and some less.
/// </summary>
internal static class Trace
{
    public static IReadOnlyList<TraceRun> Generate(SimulationSetup setup, bool bursty, int seed)
    {
        var random = new Random(seed);
        var demand = setup.Tenants.Select(t => t.Demand).ToArray();
        var totalDemand = demand.Sum();
        var meanDeviceHours = setup.Sizes.Sum(s => s.Devices * s.Probability) * setup.MedianHours * Math.Exp(setup.Sigma * setup.Sigma / 2);
        var rate = setup.Load * setup.DeviceCount / meanDeviceHours; // runs per hour

        var runs = new List<TraceRun>();
        var t = 0.0;
        var inBurst = false;
        var stateEnds = Exponential(random, 1 / setup.CalmHours);
        while (true)
        {
            var current = bursty ? (inBurst ? 3.0 : 1.0 / 3) * rate : rate;
            var next = t + Exponential(random, current);
            if (bursty && next > stateEnds)
            {
                // Memoryless: restart the draw at the switch with the other state's rate.
                t = stateEnds;
                inBurst = !inBurst;
                stateEnds = t + Exponential(random, 1 / (inBurst ? setup.BurstHours : setup.CalmHours));
                continue;
            }

            t = next;
            if (t >= setup.HorizonHours) break;
            var tenant = Pick(random, demand, totalDemand);
            var hours = Math.Min(48, setup.MedianHours * Math.Exp(setup.Sigma * Normal(random)));
            var u = random.NextDouble();
            var cls = u < setup.HighShare ? PriorityClass.High : u < setup.HighShare + setup.LowShare ? PriorityClass.Low : PriorityClass.Normal;
            var memory = random.NextDouble() < setup.LargeMemoryShare ? setup.LargeMemoryGiB : setup.SmallMemoryGiB;
            runs.Add(new TraceRun(runs.Count, setup.Tenants[tenant].Id, t, Size(random, setup.Sizes), cls, hours, memory));
        }

        return runs;
    }

    private static int Size(Random random, (int Devices, double Probability)[] sizes)
    {
        var u = random.NextDouble();
        foreach (var (devices, probability) in sizes)
        {
            if ((u -= probability) < 0) return devices;
        }

        return sizes[^1].Devices;
    }

    private static int Pick(Random random, double[] weights, double total)
    {
        var u = random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            if ((u -= weights[i]) < 0) return i;
        }

        return weights.Length - 1;
    }

    private static double Exponential(Random random, double rate) => -Math.Log(1 - random.NextDouble()) / rate;

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
