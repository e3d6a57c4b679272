using ForgetLab.Lab.Runs;
using Spectre.Console;

namespace ForgetLab.Cli.Commands;

/// <summary>Progress bars for a lab run: one for pre-training, one for the baseline, one per run (training, then evaluation).</summary>
internal static class LabProgressDisplay
{
    public static T Run<T>(Func<IProgress<LabEvent>, T> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
            return work(new InlineProgress<LabEvent>(PlainLine()));
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                result = work(new InlineProgress<LabEvent>(e =>
                {
                    var key = e.Phase == LabPhase.Evaluate ? e.Task + " eval" : e.Task;
                    if (!tasks.TryGetValue(key, out var task))
                        tasks[key] = task = ctx.AddTask(Markup.Escape($"{e.Phase.ToString().ToLowerInvariant()} {e.Task}"), maxValue: Math.Max(1, e.Total));
                    task.MaxValue = Math.Max(1, e.Total);
                    task.Value = e.Done;
                    task.Description = Markup.Escape($"{e.Phase.ToString().ToLowerInvariant(),-8} {e.Task} {e.Detail}".TrimEnd());
                }));
            });
        return result;
    }

    /// <summary>Without a terminal (CI logs, pipes): a line per phase change and every tenth of the way.</summary>
    private static Action<LabEvent> PlainLine()
    {
        var last = new Dictionary<string, long>();
        return e =>
        {
            var key = $"{e.Phase} {e.Task}";
            var tenth = e.Total <= 0 ? 0 : e.Done * 10 / e.Total;
            if (last.TryGetValue(key, out var seen) && seen == tenth) return;
            last[key] = tenth;
            Console.WriteLine($"[{e.Phase.ToString().ToLowerInvariant()}] {e.Task} {e.Done}/{e.Total} {e.Detail}".TrimEnd());
        };
    }
}
