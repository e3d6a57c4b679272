using System.Text.Json;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;

namespace ForgetLab.Lab.Experiments;

/// <summary>
/// One run of a spec's grid, as a worker runs it: prepare the base (cached) and the baseline, fine-tune
/// the one recipe (resuming exactly from a checkpoint folder when given one), evaluate every checkpoint,
/// and write the run's part of the report to <c>runs/{name}/run-report.json</c>. What happens is told as
/// <see cref="JobEvent"/>s. Shares its code path with <see cref="LabRunner"/>.
/// </summary>
public sealed class RecipeJob(LabRunnerOptions options)
{
    public const string RunReportFile = "run-report.json";

    public Action<JobEvent>? Events { get; init; }

    /// <param name="evaluateResumed">Score the checkpoint resumed from first (its job was stopped before it was evaluated).</param>
    public RunReport Run(LabSpec spec, string runName, string outDirectory, string? resumeFrom = null, bool evaluateResumed = false)
    {
        var recipes = GridExpansion.Expand(spec);
        var recipe = recipes.FirstOrDefault(r => r.Name == runName)
            ?? throw new ArgumentException($"spec '{spec.Name}' has no run '{runName}'; its runs are {string.Join(", ", recipes.Select(r => r.Name))}", nameof(runName));

        var relay = options with { Progress = new InlineProgress<LabEvent>(e => Forward(e)) };
        RunReport report;
        using (var lab = PreparedLab.Prepare(spec, relay, outDirectory))
            report = lab.RunRecipe(recipe, resumeFrom, Events, evaluateResumed);

        var runDirectory = Path.Combine(outDirectory, "runs", recipe.Name);
        Directory.CreateDirectory(runDirectory);
        var reportPath = Path.Combine(runDirectory, RunReportFile);
        File.WriteAllText(reportPath, JsonSerializer.Serialize(report, ReportJson.Options));
        Events?.Invoke(new JobEvent
        {
            Event = JobEvent.Kinds.Finished,
            Run = recipe.Name,
            Status = JsonNamingPolicy.SnakeCaseLower.ConvertName(report.Status.ToString()),
            Step = report.Checkpoints.Count == 0 ? null : report.Checkpoints[^1].Step,
            Reason = report.Reason,
            Folder = Path.GetFullPath(runDirectory),
        });
        return report;
    }

    private void Forward(LabEvent e)
    {
        options.Progress?.Report(e);
        if (e.Phase is LabPhase.Pretrain or LabPhase.Baseline)
            Events?.Invoke(new JobEvent { Event = JobEvent.Kinds.Phase, Phase = e.Phase.ToString().ToLowerInvariant(), Step = e.Done, TotalSteps = e.Total, Detail = e.Detail });
    }
}
