using System.CommandLine;
using ForgetLab.Core.Specs;
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
        var dtypes = new Option<string>("--dtype") { Description = "compute dtypes to time, comma-separated: float32, bfloat16", DefaultValueFactory = _ => "float32" };
        var plain = new Option<bool>("--plain") { Description = "one 'BENCH key=value …' line per run instead of a table (for scripts)" };
        var (glibc, threshold) = MallocOptions();
        var train = new Command("train", "training tokens/s of the reference model (vocab 512, d 256, 4 layers, 4 heads, context 128, batch 16), at the lab's allocator setting by default")
        {
            steps, threads, dtypes, plain, glibc, threshold,
        };
        train.SetAction(parse =>
        {
            if (!TryMmapThreshold(parse, glibc, threshold, out var mmapThreshold)) return 2;
            var chosen = new List<ComputeDtype>();
            foreach (var name in parse.GetValue(dtypes)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!SpecNames.ComputeDtypes.TryGetValue(name, out var dtype))
                {
                    Console.Error.WriteLine($"--dtype: unknown value '{name}' (expected one of: {string.Join(", ", SpecNames.ComputeDtypes.Keys)})");
                    return 2;
                }
                chosen.Add(dtype);
            }
            var table = new Table().AddColumns("method", "dtype", "malloc", "parameters", "threads", "steps", "seconds", "tokens/s", "optimizer ms/step");
            foreach (var dtype in chosen)
            foreach (var lora in new[] { false, true })
            {
                var r = TrainingBenchmark.Run(lora, parse.GetValue(steps), threads: parse.GetValue(threads), dtype: dtype, mmapThresholdBytes: mmapThreshold);
                if (parse.GetValue(plain))
                    Console.WriteLine(FormattableString.Invariant(
                        $"BENCH method={r.Method} dtype={r.Dtype} malloc={r.Malloc} params={r.Parameters} threads={r.Threads} steps={r.Steps} seconds={r.Seconds:F3} tokens_per_s={r.TokensPerSecond:F1} optimizer_ms={r.OptimizerMsPerStep:F2} loss={r.Loss:F4}"));
                table.AddRow(r.Method, r.Dtype, r.Malloc, $"{r.Parameters:N0}", $"{r.Threads}", $"{r.Steps}", $"{r.Seconds:F1}", $"{r.TokensPerSecond:N0}", $"{r.OptimizerMsPerStep:F2}");
            }
            if (!parse.GetValue(plain)) AnsiConsole.Write(table);
            return 0;
        });
        var memory = Memory();
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
        var evalArchitecture = new Option<string>("--architecture") { Description = "gpt2 (the reference model) or llama (the world's Llama base shape)", DefaultValueFactory = _ => "gpt2" };
        var eval = new Command("eval", "evaluation items/s per scoring kind on the built-in suites, ours against a naive scorer (one forward per request, no cache), and how far their per-item outcomes differ, as Markdown")
        {
            items, evalThreads, evalArchitecture,
        };
        eval.SetAction(parse =>
        {
            Console.WriteLine("| kind | suite | items | ours items/s | naive items/s | speed-up | outcomes identical | max \\|Δ outcome\\| |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            foreach (var r in EvaluationBenchmark.Run(parse.GetValue(items), threads: parse.GetValue(evalThreads), architecture: parse.GetValue(evalArchitecture)!))
                Console.WriteLine($"| {r.Kind} | {r.Suite} | {r.Items} | {r.ItemsPerSecond:F1} | {r.NaiveItemsPerSecond:F1} | {r.Speedup:F1}× | {(r.SameOutcomes ? "yes" : "no")} | {r.MaxDifference:0.0e0} |");
            return 0;
        });
        return new Command("bench", "benchmarks") { train, memory, intervals, eval };
    }

    /// <summary><c>forgetlab bench memory</c>: one phase's peak RSS in this process beside Core's memory estimate (tools/bench/memory.sh runs the table).</summary>
    private static Command Memory()
    {
        var model = new Option<string>("--model") { Description = "gpt2-reference or llama-small", DefaultValueFactory = _ => "gpt2-reference" };
        var phase = new Option<string>("--phase") { Description = "train or eval", DefaultValueFactory = _ => "train" };
        var lora = new Option<bool>("--lora") { Description = "LoRA r=8 on all-linear instead of full fine-tuning" };
        var dtype = new Option<string>("--dtype") { Description = "float32 or bfloat16", DefaultValueFactory = _ => "float32" };
        var checkpointing = new Option<bool>("--gradient-checkpointing") { Description = "recompute each layer's activations in backward" };
        var steps = new Option<int>("--steps") { Description = "steps (training) or batches (evaluation)", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch-size") { Description = "sequences per step", DefaultValueFactory = _ => 16 };
        var sample = new Option<string>("--rss-at") { Description = "steps after which to read RSS, comma-separated", DefaultValueFactory = _ => "" };
        var threads = new Option<int?>("--threads") { Description = "torch intra-op threads" };
        var (glibc, threshold) = MallocOptions();
        var command = new Command("memory", "peak resident memory of one training or evaluation phase, beside the memory estimate")
        {
            model, phase, lora, dtype, checkpointing, steps, batch, sample, threads, glibc, threshold,
        };
        command.SetAction(parse =>
        {
            if (!TryMmapThreshold(parse, glibc, threshold, out var mmapThreshold)) return 2;
            if (parse.GetValue(phase) is not ("train" or "eval") || !SpecNames.ComputeDtypes.TryGetValue(parse.GetValue(dtype)!, out var computeDtype)
                || !MemoryBenchmark.Models.Contains(parse.GetValue(model)))
            {
                Console.Error.WriteLine($"--phase is train or eval, --dtype float32 or bfloat16, --model one of: {string.Join(", ", MemoryBenchmark.Models)}");
                return 2;
            }
            var at = parse.GetValue(sample)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
            var r = MemoryBenchmark.Run(parse.GetValue(model)!, parse.GetValue(phase) == "train", parse.GetValue(lora), computeDtype,
                parse.GetValue(checkpointing), parse.GetValue(steps), parse.GetValue(batch), at, parse.GetValue(threads), mmapThreshold);
            static string Mb(long bytes) => (bytes / 1048576.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
            var e = r.Estimate;
            Console.WriteLine(FormattableString.Invariant(
                $"MEMORY model={r.Model} malloc={Lab.Training.TensorAllocator.Mode} phase={r.Phase} method={r.Method} dtype={r.Dtype} checkpointing={r.Checkpointing} batch={r.BatchSize} seq={r.SequenceLength} params={r.Parameters} ")
                + $"runtime_mb={Mb(r.RuntimeBytes)} peak_mb={Mb(r.PeakBytes)} peak_above_runtime_mb={Mb(r.PeakBytes - r.RuntimeBytes)} "
                + $"estimate_mb={Mb(e.TotalBytes)} estimate_above_runtime_mb={Mb(e.TotalBytes - e.RuntimeBytes)} "
                + $"weights_mb={Mb(e.WeightBytes)} copies_mb={Mb(e.ComputeCopyBytes)} grads_mb={Mb(e.GradientBytes)} optimizer_mb={Mb(e.OptimizerBytes)} activations_mb={Mb(e.ActivationBytes)}"
                + string.Concat(r.ResidentAtSteps.Select(s => $" rss_at_{s.Step}_mb={Mb(s.ResidentBytes)} anon_at_{s.Step}_mb={Mb(s.AnonymousBytes)} file_at_{s.Step}_mb={Mb(s.FileBytes)}"
                    + $" gc_at_{s.Step}_mb={Mb(s.ManagedCommittedBytes)} malloc_used_at_{s.Step}_mb={Mb(s.MallocInUseBytes)} malloc_free_at_{s.Step}_mb={Mb(s.MallocFreeBytes)}")));
            return 0;
        });
        return command;
    }

    /// <summary>The allocator switches both benchmarks share: the lab's setting unless told otherwise, so a figure is what a lab run sees.</summary>
    private static (Option<bool> Glibc, Option<int?> ThresholdKib) MallocOptions() => (
        new Option<bool>("--glibc-default-malloc") { Description = "leave glibc's dynamic mmap threshold on (lab runs pin it)" },
        new Option<int?>("--mmap-threshold-kib")
        {
            Description = $"pin glibc's mmap threshold at this many KiB, 4 to 32768, trim threshold twice that (default: the lab's, {Lab.Training.TensorAllocator.LabMmapThresholdBytes / 1024} KiB)",
        });

    private static bool TryMmapThreshold(ParseResult parse, Option<bool> glibc, Option<int?> thresholdKib, out int? bytes)
    {
        bytes = Lab.Training.TensorAllocator.LabMmapThresholdBytes;
        var kib = parse.GetValue(thresholdKib);
        if (parse.GetValue(glibc))
        {
            if (kib is not null)
            {
                Console.Error.WriteLine("--glibc-default-malloc and --mmap-threshold-kib contradict each other: give one");
                return false;
            }
            bytes = null;
        }
        else if (kib is { } k)
        {
            if (k is < 4 or > 32 * 1024)
            {
                Console.Error.WriteLine($"--mmap-threshold-kib: {k} is out of range (4 to 32768; glibc refuses a threshold above 32 MiB)");
                return false;
            }
            bytes = k * 1024;
        }
        return true;
    }
}
