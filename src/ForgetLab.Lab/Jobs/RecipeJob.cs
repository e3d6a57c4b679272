using System.Text.Json;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Core.Jobs;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Runs;

namespace ForgetLab.Lab.Jobs;

/// <summary>
/// One run of a spec's grid, as a worker runs it: prepare the base (cached) and the baseline, fine-tune
/// the one recipe (resuming exactly from a checkpoint folder when given one), evaluate every checkpoint,
/// and write the run's part of the report to <c>runs/{name}/run-report.json</c>. What happens is told as
/// <see cref="JobEvent"/>s, the same events the stand-alone lab's display hears. Shares its code path with <see cref="LabRunner"/>.
/// </summary>
public sealed class RecipeJob(LabRunnerOptions options)
{
    public const string RunReportFile = CheckpointFolder.RunReportFile;

    /// <summary>One evaluated checkpoint's part of the run report, beside its <c>items.jsonl</c>; a resumed job carries the earlier ones over.</summary>
    public const string CheckpointReportFile = CheckpointFolder.CheckpointReportFile;

    /// <summary>Hears the protocol's events (for the job's stdout): every event but a display's per-suite <see cref="EvaluationProgress"/>.</summary>
    public Action<JobEvent>? Events { get; init; }

    /// <param name="evaluateResumed">Score the checkpoint resumed from first (its job was stopped before it was evaluated).</param>
    /// <param name="earlierReports">
    /// A folder of <see cref="CheckpointReportFile"/>s of the checkpoints that jobs before this one evaluated (as <c>step-{n}.json</c>):
    /// a resumed run's report keeps every checkpoint the run made, not only those this job scored.
    /// </param>
    public RunReport Run(LabSpec spec, string runName, string outDirectory, string? resumeFrom = null, bool evaluateResumed = false, string? earlierReports = null)
    {
        var recipes = GridExpansion.Expand(spec);
        var recipe = recipes.FirstOrDefault(r => r.Name == runName)
            ?? throw new ArgumentException($"spec '{spec.Name}' has no run '{runName}'; its runs are {string.Join(", ", recipes.Select(r => r.Name))}", nameof(runName));

        var relay = options with { Progress = new InlineProgress<JobEvent>(Forward) };
        RunReport report;
        using (var lab = PreparedLab.Prepare(spec, relay, outDirectory))
            report = lab.RunRecipe(recipe, resumeFrom, evaluateResumed) with { Data = lab.DataBounds.Count > 0 ? lab.DataBounds : null };
        if (resumeFrom is not null && earlierReports is not null) report = WithEarlier(report, earlierReports, CheckpointFolder.StepOf(resumeFrom));

        var runDirectory = Path.Combine(outDirectory, "runs", recipe.Name);
        Directory.CreateDirectory(runDirectory);
        File.WriteAllText(Path.Combine(runDirectory, RunReportFile), JsonSerializer.Serialize(report, ReportJson.Options));
        Forward(new RunFinished(recipe.Name, report.Status, report.Checkpoints.Count == 0 ? null : report.Checkpoints[^1].Step, report.Reason,
            Path.GetFullPath(runDirectory)));
        return report;
    }

    /// <summary>
    /// The earlier jobs' checkpoints up to the one resumed from, before this job's own. A step this job scored
    /// itself (the resumed checkpoint, when it had not been scored) keeps this job's result.
    /// </summary>
    internal static RunReport WithEarlier(RunReport report, string earlierReports, long resumedStep)
    {
        var own = report.Checkpoints.Select(c => c.Step).ToHashSet();
        var earlier = Directory.EnumerateFiles(earlierReports, "step-*.json")
            .Select(f => JsonSerializer.Deserialize<CheckpointReport>(File.ReadAllText(f), ReportJson.Options)
                ?? throw new InvalidDataException($"{f}: not a checkpoint report"))
            .Where(c => c.Step <= resumedStep && !own.Contains(c.Step))
            .OrderBy(c => c.Step);
        return report with { Checkpoints = [.. earlier, .. report.Checkpoints] };
    }

    private void Forward(JobEvent e)
    {
        options.Progress?.Report(e);
        if (e is not EvaluationProgress) Events?.Invoke(e);
    }
}
