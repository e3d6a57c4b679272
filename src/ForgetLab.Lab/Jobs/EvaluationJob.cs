using System.Text.Json;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Core.Jobs;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Runs;

namespace ForgetLab.Lab.Jobs;

/// <summary>
/// One entry of an evaluation-only spec, as a worker runs it: prepare the base and the baseline, check the entry
/// against the base, score it (step 0, nothing trained) and write its report to <c>runs/{name}/run-report.json</c>.
/// The events are those of a trained run's one checkpoint — saved, evaluation started, evaluated, finished — so the
/// worker uploads and reports it as it does any run's. A resumed lease simply evaluates again: the folder it writes is
/// the same, so the run grain hears the same checkpoint, and the suites a preempted job scored are read from the result cache.
/// Asked for a checkpoint now, the job stops before its next suite (<see cref="EvaluationPreempted"/>), reporting that folder as the
/// preemption checkpoint.
/// </summary>
public sealed class EvaluationJob(LabRunnerOptions options)
{
    public Action<JobEvent>? Events { get; init; }

    public RunReport Run(LabSpec spec, string runName, string outDirectory)
    {
        var entry = spec.Evaluate.FirstOrDefault(e => e.Name == runName)
            ?? throw new ArgumentException($"spec '{spec.Name}' has no evaluate entry '{runName}'; its entries are {string.Join(", ", spec.Evaluate.Select(e => e.Name))}", nameof(runName));

        var relay = options with { Progress = new InlineProgress<JobEvent>(Forward) };
        RunReport report;
        IReadOnlyList<Evaluated.EvaluatedModel> models = [];
        using (var lab = PreparedLab.Prepare(spec, relay, outDirectory, baseConfig => models = LabEvaluator.Inspect([entry], baseConfig, relay)))
            report = lab.EvaluateModel(models.Single()) with { Data = lab.DataBounds.Count > 0 ? lab.DataBounds : null };

        var runDirectory = Path.Combine(outDirectory, "runs", entry.Name);
        Directory.CreateDirectory(runDirectory);
        File.WriteAllText(Path.Combine(runDirectory, CheckpointFolder.RunReportFile), JsonSerializer.Serialize(report, ReportJson.Options));
        Forward(new RunFinished(entry.Name, report.Status, report.Checkpoints.Count == 0 ? null : 0, report.Reason, Path.GetFullPath(runDirectory)));
        return report;
    }

    private void Forward(JobEvent e)
    {
        options.Progress?.Report(e);
        if (e is not EvaluationProgress) Events?.Invoke(e);
    }
}
