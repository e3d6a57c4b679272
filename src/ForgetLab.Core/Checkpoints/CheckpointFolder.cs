using System.Security.Cryptography;
using System.Text.Json;

namespace ForgetLab.Core.Checkpoints;

/// <summary>
/// The layout of a run's folder, which the lab writes, the worker uploads and the server reads:
/// <c>step-{n}/</c> checkpoints holding the weights, <c>optimizer.bin</c>, <c>rng.safetensors</c>,
/// <c>trainer_state.json</c> and a <c>manifest.json</c> with the SHA-256 of every file. The manifest is
/// written last, so a folder without it is partial; a file whose hash differs is corrupted. Once evaluated,
/// <c>items.jsonl</c> and <c>checkpoint-report.json</c> sit beside them; <c>run-report.json</c> sits in the
/// run folder when the run ends. No tensors here: everything the worker needs without TorchSharp.
/// </summary>
public static class CheckpointFolder
{
    public const string ManifestFile = "manifest.json";
    public const string OptimizerFile = "optimizer.bin";
    public const string RngFile = "rng.safetensors";
    public const string TrainerStateFile = "trainer_state.json";

    /// <summary>One evaluated checkpoint's part of the run report, beside its <c>items.jsonl</c>; a resumed job carries the earlier ones over.</summary>
    public const string CheckpointReportFile = "checkpoint-report.json";

    /// <summary>The run's part of <c>report.json</c>, in the run folder once the run has ended.</summary>
    public const string RunReportFile = "run-report.json";

    private const string StepPrefix = "step-";

    public static string FolderName(long step) => $"{StepPrefix}{step}";

    /// <summary>The step a folder named <c>step-{n}</c> holds, or null for any other name.</summary>
    public static long? StepOfName(string folderName) =>
        folderName.StartsWith(StepPrefix, StringComparison.Ordinal) && long.TryParse(folderName[StepPrefix.Length..], out var step) ? step : null;

    /// <summary>Writes the manifest of every file in the folder (the last file written, so its presence means complete).</summary>
    public static void WriteManifest(string directory)
    {
        var manifest = Directory.GetFiles(directory).Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetFileName(f), f => Sha256(f));
        File.WriteAllText(Path.Combine(directory, ManifestFile), JsonSerializer.Serialize(manifest, Json));
    }

    /// <summary>Checks the manifest: every listed file present with its SHA-256. Returns the problem, or null.</summary>
    public static string? Verify(string directory)
    {
        var manifestPath = Path.Combine(directory, ManifestFile);
        if (!File.Exists(manifestPath)) return $"{directory}: no {ManifestFile} (partial checkpoint)";
        var manifest = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(manifestPath)) ?? [];
        foreach (var (file, hash) in manifest)
        {
            var path = Path.Combine(directory, file);
            if (!File.Exists(path)) return $"{path}: listed in the manifest but missing";
            if (Sha256(path) != hash) return $"{path}: SHA-256 differs from the manifest (corrupted)";
        }
        return null;
    }

    /// <summary>The newest intact checkpoint under a run folder, skipping partial and corrupted ones.</summary>
    public static string? LatestIntact(string runDirectory) =>
        !Directory.Exists(runDirectory) ? null :
        Directory.GetDirectories(runDirectory, StepPrefix + "*")
            .Select(d => (Dir: d, Step: StepOfName(Path.GetFileName(d))))
            .Where(x => x.Step is not null)
            .OrderByDescending(x => x.Step)
            .Select(x => x.Dir)
            .FirstOrDefault(d => Verify(d) is null);

    /// <summary>The step a checkpoint folder was saved at (from its trainer state, whatever the folder is named).</summary>
    public static int StepOf(string directory)
    {
        var path = Path.Combine(directory, TrainerStateFile);
        using var state = JsonDocument.Parse(File.ReadAllText(path));
        return state.RootElement.ValueKind == JsonValueKind.Object && state.RootElement.TryGetProperty("step", out var step) && step.TryGetInt32(out var value)
            ? value
            : throw new InvalidDataException($"{path}: no step");
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
}
