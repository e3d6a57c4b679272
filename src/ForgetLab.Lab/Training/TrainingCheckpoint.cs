using System.Text.Json;
using System.Text.Json.Serialization;
using ForgetLab.Core.Checkpoints;
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
/// Saves and loads a checkpoint folder in Core's layout (<see cref="CheckpointFolder"/>: weights — full
/// <c>model.safetensors</c> or PEFT adapter files —, <c>optimizer.bin</c>, <c>rng.safetensors</c> (torch's
/// generator), <c>trainer_state.json</c> and the manifest, written last). A partial or corrupted folder is
/// never resumed from. The tensor half lives here; the layout, the manifest and its check live in Core, so
/// the worker reads checkpoints without TorchSharp.
/// </summary>
public static class TrainingCheckpoint
{
    public const string ManifestFile = CheckpointFolder.ManifestFile;
    private const string OptimizerFile = CheckpointFolder.OptimizerFile;
    private const string RngFile = CheckpointFolder.RngFile;
    private const string StateFile = CheckpointFolder.TrainerStateFile;

    public static string FolderName(int step) => CheckpointFolder.FolderName(step);

    /// <param name="extra">Writes a trainer's own further state files into the folder before the manifest covers them (the RL trainer's sampling state and reference).</param>
    public static void Save(string directory, CausalLanguageModel model, IPeftMethod? peft, OptimizerHelper optimizer, TrainerState state, Action<string>? extra = null)
    {
        var tmp = directory + ".partial";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        if (peft is null) ModelFolder.Save(model, tmp);
        else peft.Save(model, tmp, baseModelName: "base");
        optimizer.save_state_dict(Path.Combine(tmp, OptimizerFile));
        Safetensors.SaveStateDict(Path.Combine(tmp, RngFile), new Dictionary<string, Tensor> { ["torch_rng"] = random.get_rng_state() });
        File.WriteAllText(Path.Combine(tmp, StateFile), JsonSerializer.Serialize(state, Json));
        extra?.Invoke(tmp);
        CheckpointFolder.WriteManifest(tmp);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.Move(tmp, directory);
    }

    /// <summary>Checks the manifest: every listed file present with its SHA-256. Returns the problem, or null.</summary>
    public static string? Verify(string directory) => CheckpointFolder.Verify(directory);

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
    public static string? LatestIntact(string runDirectory) => CheckpointFolder.LatestIntact(runDirectory);

    /// <summary>The step a checkpoint folder was saved at (from its trainer state, whatever the folder is named).</summary>
    public static int StepOf(string directory) => CheckpointFolder.StepOf(directory);

    /// <summary>The training loss at a checkpoint's step, from its trainer state.</summary>
    public static double? LastLoss(string directory) =>
        JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(Path.Combine(directory, StateFile)), Json)?.Losses.LastOrDefault()?.Loss;

    public static string Sha256(string path) => CheckpointFolder.Sha256(path);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) } };
}
