using System.Text.Json;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Core.Jobs;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Runs;

namespace ForgetLab.Lab.Jobs;

/// <summary>
/// Entries of an evaluation-only spec, as a worker runs them: prepare the base and the baseline once, check every entry against the
/// base before any is scored, then score each in turn (step 0, nothing trained: an adapter is put on a copy of the base in memory)
/// and write its report to <c>runs/{name}/run-report.json</c>. One job takes one entry or several (the platform's one evaluation job
/// per base, Core's <see cref="EvaluationGroup"/>): the base is read from disk once however many there are. Each entry's events are
/// those of a trained run's one checkpoint — saved, evaluation started, evaluated, finished — named by the entry, so the worker
/// uploads and reports each to its own run. A resumed lease simply evaluates again: the folder it writes is the same, so the run
/// grain hears the same checkpoint, and the suites a preempted job scored are read from the result cache. Asked for a checkpoint
/// now, the job stops before its next suite (<see cref="EvaluationPreempted"/>), reporting that folder as the preemption checkpoint.
/// </summary>
public sealed class EvaluationJob(LabRunnerOptions options)
{
    public Action<JobEvent>? Events { get; init; }

    public RunReport Run(LabSpec spec, string runName, string outDirectory) => Run(spec, [runName], outDirectory).Single();

    public IReadOnlyList<RunReport> Run(LabSpec spec, IReadOnlyList<string> runNames, string outDirectory)
    {
        var entries = runNames.Select(name => spec.Evaluate.FirstOrDefault(e => e.Name == name)
            ?? throw new ArgumentException($"spec '{spec.Name}' has no evaluate entry '{name}'; its entries are {string.Join(", ", spec.Evaluate.Select(e => e.Name))}", nameof(runNames))).ToList();
        if (entries.Select(e => e.Name).Distinct(StringComparer.Ordinal).Count() != entries.Count)
            throw new ArgumentException($"the entries to evaluate name one twice: {string.Join(", ", runNames)}", nameof(runNames));

        var relay = options with { Progress = new InlineProgress<JobEvent>(Forward) };
        var reports = new List<RunReport>();
        IReadOnlyList<Evaluated.EvaluatedModel> models = [];
        using var lab = PreparedLab.Prepare(spec, relay, outDirectory, baseConfig => models = LabEvaluator.Inspect(entries, baseConfig, relay));
        foreach (var model in models)
        {
            var report = lab.EvaluateModel(model) with { Data = lab.DataBounds.Count > 0 ? lab.DataBounds : null };
            var runDirectory = Path.Combine(outDirectory, "runs", model.Entry.Name);
            Directory.CreateDirectory(runDirectory);
            File.WriteAllText(Path.Combine(runDirectory, CheckpointFolder.RunReportFile), JsonSerializer.Serialize(report, ReportJson.Options));
            Forward(new RunFinished(model.Entry.Name, report.Status, report.Checkpoints.Count == 0 ? null : 0, report.Reason, Path.GetFullPath(runDirectory)));
            reports.Add(report);
        }
        return reports;
    }

    private void Forward(JobEvent e)
    {
        options.Progress?.Report(e);
        if (e is not EvaluationProgress) Events?.Invoke(e);
    }
}
