using System.CommandLine;
using System.Globalization;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Search;

namespace ForgetLab.Cli.Commands;

/// <summary>
/// <c>forgetlab search replay REPORT.json --rungs 25,50 --keep 1</c>: what <c>search: { kind: halving }</c> would have stopped on a
/// grid that ran to the end, the run-steps and device-hours it saves, whether the Pareto front stays the same, and how the forgetting forecast did.
/// </summary>
internal static class SearchCommands
{
    public static Command Create()
    {
        var report = new Argument<string>("report") { Description = "a report.json of a grid that ran every run to its end" };
        var rungs = new Option<string>("--rungs") { Description = "rung steps, comma-separated (checkpoint steps of the runs)", Required = true };
        var keep = new Option<int>("--keep") { Description = "fewest runs that go on past each rung", DefaultValueFactory = _ => 1 };
        var runsDirs = new Option<string[]>("--runs-dir")
        {
            Description = "a lab output folder whose runs/RUN/step-N/items.jsonl are read for the paired test (repeatable; default: the report's own folder)",
            AllowMultipleArgumentsPerToken = false,
        };
        var noItems = new Option<bool>("--no-items") { Description = "compare by the runs' intervals against the base only (the fallback), even where items.jsonl are there" };
        var replay = new Command("replay", "replay the halving search on a finished grid's recorded checkpoints") { report, rungs, keep, runsDirs, noItems };
        replay.SetAction(parse => Exit.Guard(() =>
        {
            var path = parse.GetValue(report)!;
            var parsed = ReportFile.Read(path);

            var steps = new List<long>();
            foreach (var text in parse.GetValue(rungs)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                steps.Add(long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var step) && step > 0
                    ? step
                    : throw new SpecUsageException($"--rungs: '{text}' is not a positive step"));
            if (steps.Count == 0) throw new SpecUsageException("--rungs: give at least one step");
            if (parse.GetValue(keep) is var k && k < 1) throw new SpecUsageException($"--keep: must be at least 1, got {k}");

            if (parse.GetValue(noItems) && parse.GetValue(runsDirs) is { Length: > 0 }) throw new SpecUsageException("--no-items and --runs-dir: give one or the other");
            string[] folders = parse.GetValue(noItems) ? [] : parse.GetValue(runsDirs) is { Length: > 0 } given ? given : [Path.GetDirectoryName(Path.GetFullPath(path))!];
            if (folders.FirstOrDefault(f => !Directory.Exists(f)) is { } missing) throw new SpecUsageException($"--runs-dir: no folder '{missing}'");
            var itemsRead = 0;
            IReadOnlyList<Core.Checkpoints.ItemResult>? ItemsAt(string run, long step)
            {
                var found = folders.Select(f => Path.Combine(f, "runs", run, Core.Checkpoints.CheckpointFolder.FolderName(step)))
                    .FirstOrDefault(d => File.Exists(Path.Combine(d, Core.Checkpoints.ItemResultsFile.FileName)));
                if (found is null) return null;
                itemsRead++;
                return Core.Checkpoints.ItemResultsFile.Read(found);
            }

            var result = SearchReplay.Replay(parsed, steps, parse.GetValue(keep), ItemsAt);
            Console.WriteLine($"{parsed.SpecName}: {parsed.Runs.Count} runs, rungs {string.Join(", ", steps)}, keep {parse.GetValue(keep)}");
            Console.WriteLine(itemsRead > 0
                ? $"compared by the paired test on the rung checkpoints' items ({itemsRead} items.jsonl read), by the intervals where a run has none"
                : parse.GetValue(noItems)
                    ? "compared by the intervals against the base (--no-items)"
                    : "compared by the intervals against the base (no rung checkpoint's items.jsonl found; --runs-dir names where they are)");
            foreach (var d in result.Stopped) Console.WriteLine($"  stopped {d.Run}: {d.Reason} ({(d.OnItems ? "paired" : "intervals")})");
            if (result.Stopped.Count == 0) Console.WriteLine("  stopped nothing");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run-steps: {result.SearchedRunSteps} of {result.FullRunSteps} ({100 * result.SavedShare:0.0}% saved)"));
            Console.WriteLine(result is { FullDeviceSeconds: { } full, SearchedDeviceSeconds: { } searched }
                ? string.Create(CultureInfo.InvariantCulture,
                    $"device-hours (training and scoring, as the runs measured them): {searched / 3600:0.000} of {full / 3600:0.000} ({100 * (1 - searched / Math.Max(full, 1e-9)):0.0}% saved)")
                : "device-hours: not in this report (a checkpoint has no training_seconds or evaluation_seconds)");
            Console.WriteLine($"front, full grid: {string.Join(", ", result.FullFront)}");
            Console.WriteLine($"front, searched:  {string.Join(", ", result.SearchedFront)}  ({(result.SameFront ? "the same" : "DIFFERENT")})");
            foreach (var f in result.Forecasts)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"forecast {f.Run}: from {f.Forecast.Checkpoints} checkpoints, at step {f.Forecast.AtStep} {f.Forecast.Estimate:0.0} [{f.Forecast.Low:0.0}, {f.Forecast.High:0.0}], measured {f.Actual:0.0} ({(f.Inside ? "inside" : "outside")}, error {f.Error:+0.0;-0.0})"));
            return 0;
        }));
        var search = new Command("search", "the forgetting-aware search (search: { kind: halving }) offline") { replay, Forecast() };
        return search;
    }

    /// <summary>
    /// <c>forgetlab search forecast REPORT.json… [--from 3]</c>: the forgetting forecast of every completed run, fitted on its first
    /// checkpoints as the run page showed it, against what its last checkpoint measured; coverage and errors over all of them.
    /// </summary>
    private static Command Forecast()
    {
        var reports = new Argument<string[]>("reports") { Description = "report.json files of grids whose runs ran to their end", Arity = ArgumentArity.OneOrMore };
        var from = new Option<int>("--from")
        {
            Description = $"checkpoints after step 0 the forecast is fitted on (at least {ForgettingForecast.MinCheckpoints})",
            DefaultValueFactory = _ => ForgettingForecast.MinCheckpoints,
        };
        var forecast = new Command("forecast", "how well the forgetting forecasts (by step, by drift, by KL to base) did on finished runs") { reports, from };
        forecast.SetAction(parse => Exit.Guard(() =>
        {
            var n = parse.GetValue(from);
            if (n < ForgettingForecast.MinCheckpoints) throw new SpecUsageException($"--from: must be at least {ForgettingForecast.MinCheckpoints}, got {n}");
            var read = parse.GetValue(reports)!.Select(ReportFile.Read).ToList();
            // Each check with its report's index: run names repeat across reports.
            var byInput = new Dictionary<ForecastInput, List<(int Report, ForecastCheck Check)>>();
            foreach (var input in Enum.GetValues<ForecastInput>())
            {
                Console.WriteLine($"{Name(input)}: {ForgettingForecast.ModelOf(input)}");
                var all = byInput[input] = [];
                foreach (var (report, index) in read.Select((r, i) => (r, i)))
                {
                    var checks = ForecastAccuracy.Check(report, n, input);
                    Console.WriteLine($"  {report.SpecName}: {checks.Count} of {report.Runs.Count} runs completed with more than {n} checkpoints{(input == ForecastInput.Step ? "" : " that measured it")}");
                    foreach (var f in checks)
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"    {f.Run}: at step {f.Forecast.AtStep} {f.Forecast.Estimate:0.0} [{f.Forecast.Low:0.0}, {f.Forecast.High:0.0}], measured {f.Actual:0.0} ({(f.Inside ? "inside" : "outside")}, error {f.Error:+0.0;-0.0;0.0})"));
                    all.AddRange(checks.Select(c => (index, c)));
                }

                Console.WriteLine($"  {Summary([.. all.Select(c => c.Check)])}");
            }

            // The models side by side on the runs each of them could forecast, so that a difference is not a difference of runs.
            var common = byInput.Values.Select(c => c.Select(x => (x.Report, x.Check.Run)).ToHashSet()).Aggregate((a, b) => { a.IntersectWith(b); return a; });
            Console.WriteLine($"on the {common.Count} runs every model forecast:");
            foreach (var (input, checks) in byInput)
                Console.WriteLine($"  {Name(input)}: {Summary([.. checks.Where(c => common.Contains((c.Report, c.Check.Run))).Select(c => c.Check)])}");
            return 0;
        }));
        return forecast;
    }

    private static string Name(ForecastInput input) => input switch
    {
        ForecastInput.Step => "by step",
        ForecastInput.Drift => "by drift",
        _ => "by KL to base",
    };

    private static string Summary(IReadOnlyList<ForecastCheck> checks)
    {
        var s = ForecastAccuracy.Summarise(checks);
        return s.Runs == 0
            ? "no run to check"
            : string.Create(CultureInfo.InvariantCulture,
                $"{s.Inside} of {s.Runs} inside their 95% interval ({100.0 * s.Inside / s.Runs:0}%); mean absolute error {s.MeanAbsoluteError:0.0} points, mean error {s.MeanError:+0.0;-0.0;0.0}, median interval width {s.MedianWidth:0.0}");
    }
}
