using ForgetLab.Core.Jobs;
using ForgetLab.Core.Reports;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Evaluated;
using ForgetLab.Core.Models;

namespace ForgetLab.Lab.Runs;

/// <summary>
/// <c>forgetlab lab eval</c>: an evaluation-only spec's base (read from disk once) and its baseline, then every
/// <c>evaluate</c> entry — a model folder, a ForgetLab checkpoint or a PEFT adapter — scored on every suite and reported
/// against the base as a run, with the same paired statistics, severity and frontier as <see cref="LabRunner"/>'s.
/// Every entry is checked against the base before anything is loaded or evaluated; one that cannot be is refused with the
/// others (<see cref="EvaluateRefusedException"/>) and nothing runs.
/// </summary>
public sealed class LabEvaluator(LabRunnerOptions options)
{
    public LabResult Evaluate(LabSpec spec, string outDirectory)
    {
        if (!spec.IsEvaluationOnly) throw new ArgumentException($"spec '{spec.Name}' has no evaluate list; `lab run` trains its grid", nameof(spec));
        IReadOnlyList<EvaluatedModel> models = [];
        using var lab = PreparedLab.Prepare(spec, options, outDirectory, baseConfig => models = Inspect(spec.Evaluate, baseConfig, options));
        var runs = models.Select(lab.EvaluateModel).ToList();

        var report = ReportAssembly.Assemble(spec.Name, DateTimeOffset.UtcNow, lab.BaseReport(), runs);
        File.WriteAllText(Path.Combine(outDirectory, "report.json"), ReportJson.Serialize(report));
        File.WriteAllText(Path.Combine(outDirectory, "report.md"), ReportMarkdown.Render(report));
        options.Progress?.Report(new ReportWritten(Path.Combine(outDirectory, "report.json")));
        return new LabResult(report, outDirectory, lab.BaseFolder, lab.Pretrain) { SuitesScored = lab.SuitesScored, SuitesFromCache = lab.SuitesFromCache };
    }

    /// <summary>
    /// Every entry as a model that fits the base of <paramref name="baseConfig"/>, or every problem of every entry. A
    /// <c>model_ref</c> entry is the folder the worker downloaded (<see cref="LabRunnerOptions.EvaluatedModelDirectories"/>).
    /// </summary>
    internal static IReadOnlyList<EvaluatedModel> Inspect(IReadOnlyList<EvaluateEntry> entries, IModelConfig baseConfig, LabRunnerOptions options)
    {
        var problems = new List<string>();
        var models = new List<EvaluatedModel>();
        foreach (var (entry, i) in entries.Select((e, i) => (e, i)))
        {
            var where = $"evaluate[{i}] ({entry.Name})";
            var folder = entry.Path ?? options.EvaluatedModelDirectories.GetValueOrDefault(entry.Name);
            if (folder is null)
            {
                problems.Add($"{where}.model_ref: '{entry.ModelRef}' names a model of the platform's registry; submit the spec with `forgetlab submit` (the stand-alone lab takes path)");
                continue;
            }
            var (model, found) = EvaluatedModels.Inspect(entry, folder, baseConfig);
            problems.AddRange(found.Select(p => $"{where}: {p}"));
            if (model is not null) models.Add(model);
        }
        if (problems.Count > 0) throw new EvaluateRefusedException(problems);
        return models;
    }
}
