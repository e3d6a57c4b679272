using System.Text.Json;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Reports;

namespace ForgetLab.Core.Baselines;

/// <summary>Reads and writes baseline files; the score is the one the report shows for the base.</summary>
public static class BaselineFiles
{
    public static SuiteEvaluation? Read(string file) =>
        File.Exists(file) ? JsonSerializer.Deserialize<SuiteEvaluation>(File.ReadAllText(file), ReportJson.Options) : null;

    /// <summary>Written aside and moved, so two processes sharing a folder never read a half-written file.</summary>
    public static void Write(string file, SuiteEvaluation evaluation)
    {
        var tmp = $"{file}.{Environment.ProcessId}.tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(evaluation, ReportJson.Options));
        File.Move(tmp, file, overwrite: true);
    }

    /// <summary>Percent correct for binary suites, the mean of the metric otherwise (nats/token, KL).</summary>
    public static double Score(SuiteOutcomes outcomes) =>
        outcomes.Kind == OutcomeKind.Binary ? 100.0 * outcomes.Values.Average() : outcomes.Values.Average();
}
