using System.CommandLine;
using ForgetLab.Lab.Benchmarks;
using Spectre.Console;

namespace ForgetLab.Cli.Commands;

/// <summary><c>forgetlab bench …</c>: throughput measurements and the interval coverage simulation written into the docs.</summary>
internal static class BenchCommands
{
    public static Command Create()
    {
        var steps = new Option<int>("--steps") { Description = "timed optimizer steps per method", DefaultValueFactory = _ => 30 };
        var threads = new Option<int?>("--threads") { Description = "torch intra-op threads (default: torch's choice)" };
        var train = new Command("train", "training tokens/s of the reference model (vocab 512, d 256, 4 layers, 4 heads, context 128, batch 16)")
        {
            steps, threads,
        };
        train.SetAction(parse =>
        {
            var table = new Table().AddColumns("method", "parameters", "threads", "steps", "seconds", "tokens/s");
            foreach (var lora in new[] { false, true })
            {
                var r = TrainingBenchmark.Run(lora, parse.GetValue(steps), threads: parse.GetValue(threads));
                table.AddRow(r.Method, $"{r.Parameters:N0}", $"{r.Threads}", $"{r.Steps}", $"{r.Seconds:F1}", $"{r.TokensPerSecond:N0}");
            }
            AnsiConsole.Write(table);
            return 0;
        });
        var replicates = new Option<int>("--replicates") { Description = "simulated tables per grid cell", DefaultValueFactory = _ => 4000 };
        var seed = new Option<int>("--seed") { Description = "seed of the simulation", DefaultValueFactory = _ => 1 };
        var intervals = new Command("intervals", "coverage of the 95% paired-difference intervals (Tango, Newcombe, Wald) over the grid of docs/science.md, as Markdown")
        {
            replicates, seed,
        };
        intervals.SetAction(parse =>
        {
            IntervalCoverageTable.Write(parse.GetValue(replicates), parse.GetValue(seed), Console.Out);
            return 0;
        });
        var items = new Option<int>("--items") { Description = "items per suite", DefaultValueFactory = _ => 64 };
        var evalThreads = new Option<int?>("--threads") { Description = "torch intra-op threads (default: torch's choice)" };
        var eval = new Command("eval", "evaluation items/s per scoring kind on the built-in suites, ours against a naive scorer (one forward per request, no cache), and how far their per-item outcomes differ, as Markdown")
        {
            items, evalThreads,
        };
        eval.SetAction(parse =>
        {
            Console.WriteLine("| kind | suite | items | ours items/s | naive items/s | speed-up | outcomes identical | max \\|Δ outcome\\| |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            foreach (var r in EvaluationBenchmark.Run(parse.GetValue(items), threads: parse.GetValue(evalThreads)))
                Console.WriteLine($"| {r.Kind} | {r.Suite} | {r.Items} | {r.ItemsPerSecond:F1} | {r.NaiveItemsPerSecond:F1} | {r.Speedup:F1}× | {(r.SameOutcomes ? "yes" : "no")} | {r.MaxDifference:0.0e0} |");
            return 0;
        });
        return new Command("bench", "benchmarks") { train, intervals, eval };
    }
}
