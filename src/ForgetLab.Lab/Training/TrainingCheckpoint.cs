using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Peft;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Training;

/// <summary>The non-tensor part of a checkpoint: enough, with the tensors, to resume a run exactly.</summary>
public sealed record TrainerState(
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("sampler_state")] ulong SamplerState,
    [property: JsonPropertyName("losses")] IReadOnlyList<StepLoss> Losses,
    [property: JsonPropertyName("settings")] TrainSettings Settings);

/// <summary>
/// A checkpoint folder <c>step-{n}/</c>: weights (full <c>model.safetensors</c> or PEFT adapter files),
/// <c>optimizer.bin</c>, <c>rng.safetensors</c> (torch's generator), <c>trainer_state.json</c> and a
/// <c>manifest.json</c> with the SHA-256 of every file. The manifest is written last, so a folder without
/// it is partial; a file whose hash differs is corrupted — neither is ever resumed from.
/// </summary>
public static class TrainingCheckpoint
{
    public const string ManifestFile = "manifest.json";
    private const string OptimizerFile = "optimizer.bin";
    private const string RngFile = "rng.safetensors";
    private const string StateFile = "trainer_state.json";

    public static string FolderName(int step) => $"step-{step}";

    public static void Save(string directory, CausalLanguageModel model, IPeftMethod? peft, OptimizerHelper optimizer, TrainerState state)
    {
        var tmp = directory + ".partial";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        if (peft is null) ModelFolder.Save(model, tmp);
        else peft.Save(model, tmp, baseModelName: "base");
        optimizer.save_state_dict(Path.Combine(tmp, OptimizerFile));
        Safetensors.SaveStateDict(Path.Combine(tmp, RngFile), new Dictionary<string, Tensor> { ["torch_rng"] = random.get_rng_state() });
        File.WriteAllText(Path.Combine(tmp, StateFile), JsonSerializer.Serialize(state, Json));
        var manifest = Directory.GetFiles(tmp).Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetFileName(f), f => Sha256(f));
        File.WriteAllText(Path.Combine(tmp, ManifestFile), JsonSerializer.Serialize(manifest, Json));
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.Move(tmp, directory);
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

    /// <summary>Restores weights, optimizer and RNG state into a model and optimizer built as the run built them.</summary>
    public static TrainerState Load(string directory, CausalLanguageModel model, IPeftMethod? peft, OptimizerHelper optimizer)
    {
        LoadWeights(directory, model, peft);
        optimizer.load_state_dict(Path.Combine(directory, OptimizerFile));
        var rng = Safetensors.LoadStateDict(Path.Combine(directory, RngFile));
        random.set_rng_state(rng["torch_rng"]);
        return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(Path.Combine(directory, StateFile)), Json)
            ?? throw new InvalidDataException($"{directory}: empty {StateFile}");
    }

    /// <summary>Loads only the weights of a verified checkpoint (to evaluate it); the optimizer and RNG are left alone.</summary>
    public static void LoadWeights(string directory, CausalLanguageModel model, IPeftMethod? peft)
    {
        if (Verify(directory) is { } problem) throw new InvalidDataException(problem);
        if (peft is null) ModelFolder.LoadWeights(model, directory);
        else peft.LoadWeights(model, directory);
    }

    /// <summary>The newest intact checkpoint under a run folder, skipping partial and corrupted ones.</summary>
    public static string? LatestIntact(string runDirectory) =>
        !Directory.Exists(runDirectory) ? null :
        Directory.GetDirectories(runDirectory, "step-*")
            .Select(d => (Dir: d, Ok: int.TryParse(Path.GetFileName(d)["step-".Length..], out var s), Step: s))
            .Where(x => x.Ok)
            .OrderByDescending(x => x.Step)
            .Select(x => x.Dir)
            .FirstOrDefault(d => Verify(d) is null);

    /// <summary>The step a checkpoint folder was saved at (from its trainer state, whatever the folder is named).</summary>
    public static int StepOf(string directory) =>
        JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(Path.Combine(directory, StateFile)), Json)?.Step
        ?? throw new InvalidDataException($"{directory}: empty {StateFile}");

    /// <summary>The training loss at a checkpoint's step, from its trainer state.</summary>
    public static double? LastLoss(string directory) =>
        JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(Path.Combine(directory, StateFile)), Json)?.Losses.LastOrDefault()?.Loss;

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) } };
}
