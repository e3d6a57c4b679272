using ForgetLab.Core.Jobs;
using ForgetLab.Lab.Runs;
using Spectre.Console;

namespace ForgetLab.Cli.Commands;

/// <summary>Progress bars for a lab run or evaluation: one for pre-training, one for loading the base, one for the baseline, one per run (training, then evaluation).</summary>
internal static class LabProgressDisplay
{
    /// <summary>A bar's position: which part of the run (<c>pretrain</c>, <c>baseline</c>, <c>train</c>, <c>evaluate</c>, <c>report</c>), its task, done of total.</summary>
    private sealed record Bar(string Phase, string Task, long Done, long Total, string? Detail = null);

    public static T Run<T>(Func<IProgress<JobEvent>, T> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
            return work(Bars(PlainLine()));
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                result = work(Bars(e =>
                {
                    var key = e.Phase == "evaluate" ? e.Task + " eval" : e.Task;
                    if (!tasks.TryGetValue(key, out var task))
                        tasks[key] = task = ctx.AddTask(Markup.Escape($"{e.Phase} {e.Task}"), maxValue: Math.Max(1, e.Total));
                    task.MaxValue = Math.Max(1, e.Total);
                    task.Value = e.Done;
                    task.Description = Markup.Escape($"{e.Phase,-8} {e.Task} {e.Detail}".TrimEnd());
                }));
            });
        return result;
    }

    /// <summary>The events a display shows, as bars; the others (checkpoints saved, baseline exchange) move no bar.</summary>
    private static InlineProgress<JobEvent> Bars(Action<Bar> show) => new(e =>
    {
        Bar? bar = e switch
        {
            PreparationProgress { Phase: PreparationPhase.Pretrain } p => new("pretrain", "pretrain", p.Step, p.TotalSteps, p.Detail),
            PreparationProgress { Phase: PreparationPhase.LoadBase } p => new("load", "base", p.Step, p.TotalSteps, p.Detail),
            PreparationProgress { Phase: PreparationPhase.RewardModel } p => new("reward", "reward model", p.Step, p.TotalSteps, p.Detail),
            PreparationProgress p => new("baseline", "baseline", p.Step, p.TotalSteps, p.Detail),
            TrainingProgress t => new("train", t.Run, t.Step, t.TotalSteps, $"loss {t.Loss:F3}"),
            EvaluationProgress v => new("evaluate", v.Run, v.Done, v.Total, v.Suite is null ? $"step {v.Step}" : $"step {v.Step}: {v.Suite}"),
            ReportWritten r => new("report", "report", 1, 1, r.File),
            _ => null,
        };
        if (bar is not null) show(bar);
    });

    /// <summary>Without a terminal (CI logs, pipes): a line per phase change, every tenth of the way, and every pre-training probe.</summary>
    private static Action<Bar> PlainLine()
    {
        var last = new Dictionary<string, long>();
        return e =>
        {
            var key = $"{e.Phase} {e.Task}";
            var tenth = e.Total <= 0 ? 0 : e.Done * 10 / e.Total;
            // A probe's score is a result, not a position: every one is printed.
            var probe = e.Detail?.StartsWith(BaseModelCache.ProbeDetailPrefix, StringComparison.Ordinal) == true;
            if (!probe && last.TryGetValue(key, out var seen) && seen == tenth) return;
            last[key] = tenth;
            Console.WriteLine($"[{e.Phase}] {e.Task} {e.Done}/{e.Total} {e.Detail}".TrimEnd());
        };
    }
}
