using System.Text.Json;
using ForgetLab.Core.Reports;
using ForgetLab.Lab.Evaluation;
using ForgetLab.Lab.Suites;

namespace ForgetLab.Lab.Experiments;

/// <summary>One suite definition a baseline is kept for: name, version and a hash of its items.</summary>
public sealed record BaselineSuiteKey(string Suite, string Version, string Definition)
{
    public static BaselineSuiteKey Of(SuiteDefinition suite) => new(suite.Name, suite.Version, SuiteDefinition.ContentHash(suite.Items));

    /// <summary>The file a baseline of this suite is kept in: the <see cref="SuiteEvaluation"/> as JSON.</summary>
    public string FileName => $"{Suite}@{Version}-{Definition}.json";
}

/// <summary>
/// Which base model the job's baseline is for, whether every tenant shares it (a base of the
/// built-in world), and the base's folder (config.json, model.safetensors, vocab.json).
/// </summary>
public sealed record BaselineRequest(string ModelHash, bool Shared, IReadOnlyList<BaselineSuiteKey> Suites, string BaseFolder);

/// <summary>Where a baseline came from: the platform (recorded by an earlier run), this machine's model cache, or evaluated now.</summary>
public static class BaselineSources
{
    public const string Platform = "platform";
    public const string Cache = "cache";
    public const string Evaluated = "evaluated";
}

/// <summary>
/// How a job shares the base model's baseline with the platform: before evaluating the base it asks
/// for the baselines already recorded (<see cref="Lookup"/> answers a folder of
/// <see cref="BaselineSuiteKey.FileName"/> files, or null), and tells what it used per suite
/// (<see cref="Ready"/>), so the host records those the platform did not have.
/// </summary>
public interface IBaselineExchange
{
    string? Lookup(BaselineRequest request);

    void Ready(BaselineRequest request, BaselineSuiteKey suite, string source, string file);
}

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
    public static double Score(Core.Analysis.SuiteOutcomes outcomes) =>
        outcomes.Kind == Core.Analysis.OutcomeKind.Binary ? 100.0 * outcomes.Values.Average() : outcomes.Values.Average();
}

/// <summary>
/// The job side of <see cref="IBaselineExchange"/> over the child-process protocol: a
/// <c>baseline_lookup</c> event, answered by the worker with one line on stdin (a folder, or an
/// empty line), then a <c>baseline_ready</c> event per suite.
/// </summary>
public sealed class JobBaselineExchange(Action<JobEvent> emit, TextReader answers) : IBaselineExchange
{
    public string? Lookup(BaselineRequest request)
    {
        emit(new JobEvent
        {
            Event = JobEvent.Kinds.BaselineLookup, ModelHash = request.ModelHash, Shared = request.Shared, Folder = Path.GetFullPath(request.BaseFolder),
            BaselineSuites = request.Suites.Select(s => new JobBaselineSuite(s.Suite, s.Version, s.Definition)).ToList(),
        });
        var folder = answers.ReadLine()?.Trim();
        return string.IsNullOrEmpty(folder) ? null : folder;
    }

    public void Ready(BaselineRequest request, BaselineSuiteKey suite, string source, string file) =>
        emit(new JobEvent
        {
            Event = JobEvent.Kinds.BaselineReady, ModelHash = request.ModelHash, Shared = request.Shared,
            BaselineSuites = [new JobBaselineSuite(suite.Suite, suite.Version, suite.Definition)], Source = source, Folder = Path.GetFullPath(file),
        });
}
