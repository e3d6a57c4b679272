using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ForgetLab.Core.Analysis;
using ForgetLab.Core.Baselines;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Lab.Suites;

namespace ForgetLab.Lab.Evaluation;

/// <summary>
/// Suite results already computed, kept per (model, suite, how it was scored): scoring the same weights on the same
/// suite again reads the file instead (issue 17: re-evaluating anything already scored is free). The base's baseline
/// files are the special case this generalises; this one covers checkpoints, so an evaluation-only run or a rerun of a
/// seeded grid costs nothing for what it scored before, and a suite added to a spec costs only that suite.
/// </summary>
/// <remarks>
/// The key is exact, so a hit returns exactly what scoring would: the model's weight files (their SHA-256 from the
/// checkpoint's manifest, and the base's identity under an adapter), the whole suite definition (items, kind, metric,
/// delimiters, the lm-eval task with its few-shot docs: a user's suite file may keep its version while its items
/// change), the scoring setup (the base's evaluation conventions, batch size) and the build of the scoring code (<see cref="ScoringBuild"/>). Files live under <c>{cache}/results/{model key}/</c>, written aside and moved, so two jobs sharing
/// a cache never read half a file.
/// </remarks>
public sealed class EvaluationResultCache(string directory)
{
    /// <summary>The folder under a lab cache directory that holds the results.</summary>
    public const string FolderName = "results";

    private static readonly JsonSerializerOptions KeyJson = new() { WriteIndented = false };

    /// <summary>How many suites were read from the cache and how many were scored, since this cache was made.</summary>
    public (int Hits, int Misses) Counts => (_hits, _misses);

    private int _hits, _misses;

    /// <summary>The suite's result for this model and setup, from the cache or from <paramref name="evaluate"/> (then kept).</summary>
    public SuiteEvaluation GetOrEvaluate(string modelKey, SuiteDefinition suite, string setupKey, Func<SuiteEvaluation> evaluate)
    {
        var folder = Path.Combine(directory, modelKey);
        var file = Path.Combine(folder, $"{Safe(suite.Name)}@{Safe(suite.Version)}-{Hash($"{SuiteKey(suite)}\n{setupKey}\n{ScoringBuild.Id}")[..16]}.json");
        if (Read(file) is { } cached)
        {
            Interlocked.Increment(ref _hits);
            return cached;
        }

        var evaluation = evaluate();
        Directory.CreateDirectory(folder);
        BaselineFiles.Write(file, evaluation);
        Interlocked.Increment(ref _misses);
        return evaluation;
    }

    /// <summary>
    /// A checkpoint's weights as a key: the SHA-256 its manifest recorded for each file that holds weights (not the
    /// optimizer, RNG or trainer state, which differ between identical weights reached by a resumed job), with the
    /// base's identity, since an adapter's weights mean something only on their base.
    /// </summary>
    public static string CheckpointKey(string checkpointFolder, string baseKey)
    {
        var manifest = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(checkpointFolder, CheckpointFolder.ManifestFile)))
            ?? throw new InvalidDataException($"{checkpointFolder}: empty {CheckpointFolder.ManifestFile}");
        string[] notWeights = [CheckpointFolder.OptimizerFile, CheckpointFolder.RngFile, CheckpointFolder.TrainerStateFile, CheckpointFolder.ManifestFile];
        var weights = manifest.Where(e => !notWeights.Contains(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}");
        return Hash($"base={baseKey}\n{string.Join('\n', weights)}")[..32];
    }

    private static SuiteEvaluation? Read(string file)
    {
        try
        {
            return BaselineFiles.Read(file);
        }
        catch (JsonException)
        {
            return null;   // a damaged entry is scored again and rewritten, never trusted
        }
    }

    private static string SuiteKey(SuiteDefinition suite) => JsonSerializer.Serialize(suite, KeyJson);

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A name safe as part of a file name (suite names and versions are the user's).</summary>
    private static string Safe(string name) =>
        new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').Take(80)]);
}
