using System.CommandLine;
using System.Globalization;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Search;

namespace ForgetLab.Cli.Commands;

/// <summary>
/// <c>forgetlab search replay REPORT.json --rungs 25,50 --keep 1</c>: what <c>search: { kind: halving }</c> would have stopped on a
/// grid that ran to the end, the run-steps it saves, whether the Pareto front stays the same, and how the forgetting forecast did.
/// </summary>
internal static class SearchCommands
{
    public static Command Create()
    {
        var report = new Argument<string>("report") { Description = "a report.json of a grid that ran every run to its end" };
        var rungs = new Option<string>("--rungs") { Description = "rung steps, comma-separated (checkpoint steps of the runs)", Required = true };
        var keep = new Option<int>("--keep") { Description = "fewest runs that go on past each rung", DefaultValueFactory = _ => 1 };
        var replay = new Command("replay", "replay the halving search on a finished grid's recorded checkpoints") { report, rungs, keep };
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

            var result = SearchReplay.Replay(parsed, steps, parse.GetValue(keep));
            Console.WriteLine($"{parsed.SpecName}: {parsed.Runs.Count} runs, rungs {string.Join(", ", steps)}, keep {parse.GetValue(keep)}");
            foreach (var d in result.Stopped) Console.WriteLine($"  stopped {d.Run}: {d.Reason}");
            if (result.Stopped.Count == 0) Console.WriteLine("  stopped nothing");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run-steps: {result.SearchedRunSteps} of {result.FullRunSteps} ({100 * result.SavedShare:0.0}% saved)"));
            Console.WriteLine($"front, full grid: {string.Join(", ", result.FullFront)}");
            Console.WriteLine($"front, searched:  {string.Join(", ", result.SearchedFront)}  ({(result.SameFront ? "the same" : "DIFFERENT")})");
            foreach (var f in result.Forecasts)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"forecast {f.Run}: from {f.Forecast.Checkpoints} checkpoints, at step {f.Forecast.AtStep} {f.Forecast.Estimate:0.0} [{f.Forecast.Low:0.0}, {f.Forecast.High:0.0}], measured {f.Actual:0.0} ({(f.Inside ? "inside" : "outside")}, error {f.Error:+0.0;-0.0})"));
            return 0;
        }));
        var search = new Command("search", "the forgetting-aware search (search: { kind: halving }) offline") { replay };
        return search;
    }
}
