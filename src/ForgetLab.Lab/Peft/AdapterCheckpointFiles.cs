using System.Text.Json;
using ForgetLab.Lab.Model;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Peft;

/// <summary>
/// Adapter-only checkpoints for the methods PEFT has no layout for here (bottleneck adapters, gated
/// prefixes, BitFit, layer freezing): <c>adapter_model.safetensors</c> with exactly the tensors the
/// method trains under their state-dict names, and a small <c>adapter_config.json</c> naming the
/// method and its settings. Loading copies them onto a model built from the same base with the same
/// method applied.
/// </summary>
public static class AdapterCheckpointFiles
{
    public const string ConfigFile = PeftAdapterFiles.ConfigFile;
    public const string WeightsFile = PeftAdapterFiles.WeightsFile;

    public static void Save(CausalLanguageModel model, PeftSettings settings, string directory, string baseModelName)
    {
        Directory.CreateDirectory(directory);
        var tensors = model.state_dict().Where(kv => settings.Owns(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        Safetensors.SaveStateDict(Path.Combine(directory, WeightsFile), tensors);
        var config = new Dictionary<string, object>
        {
            ["forgetlab_method"] = settings.Method,
            ["base_model_name_or_path"] = baseModelName,
            ["settings"] = JsonSerializer.SerializeToElement(settings, settings.GetType(), Json),
            ["tensors"] = tensors.Keys.Order(StringComparer.Ordinal).ToList(),
        };
        File.WriteAllText(Path.Combine(directory, ConfigFile), JsonSerializer.Serialize(config, Json));
    }

    /// <summary>Copies the file's tensors into the model; each must exist there with its shape.</summary>
    public static void LoadWeights(CausalLanguageModel model, string directory)
    {
        var loaded = Safetensors.LoadStateDict(Path.Combine(directory, WeightsFile));
        var own = model.state_dict();
        using var _ = no_grad();
        foreach (var (key, value) in loaded)
        {
            if (!own.TryGetValue(key, out var target) || !target.shape.SequenceEqual(value.shape))
                throw new InvalidDataException($"{directory}: tensor '{key}' has no matching parameter in the model");
            target.copy_(value);
            value.Dispose();
        }
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
