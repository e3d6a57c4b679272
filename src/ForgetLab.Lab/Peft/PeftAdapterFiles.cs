using System.Text.Json;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Model.Weights;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Peft;

/// <summary>
/// Adapter-only checkpoints in PEFT's layout: <c>adapter_config.json</c> (the method's PEFT config)
/// and <c>adapter_model.safetensors</c> whose keys are PEFT's (<c>base_model.model.</c> + the
/// state-dict name: GPT-2's <c>base_model.model.transformer.h.0.attn.c_attn.lora_A.weight</c>, the Llama
/// family's <c>base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight</c>), so
/// <c>PeftModel.from_pretrained</c> can load them onto their base. The methods bring their config records.
/// </summary>
public static class PeftAdapterFiles
{
    public const string ConfigFile = "adapter_config.json";
    public const string WeightsFile = "adapter_model.safetensors";
    private const string KeyPrefix = "base_model.model.";

    /// <summary>Writes the tensors <paramref name="owns"/> selects under PEFT's names, and the method's config.</summary>
    public static void Write<TConfig>(CausalLanguageModel model, Func<string, bool> owns, string directory, TConfig config)
    {
        Directory.CreateDirectory(directory);
        var adapters = model.state_dict()
            .Where(kv => owns(kv.Key))
            .ToDictionary(kv => KeyPrefix + kv.Key, kv => kv.Value);
        SafetensorsFile.Write(Path.Combine(directory, WeightsFile), adapters);
        File.WriteAllText(Path.Combine(directory, ConfigFile), JsonSerializer.Serialize(config, JsonOptions));
    }

    /// <summary>Reads the folder's config as <typeparamref name="TConfig"/>, refusing another method's (its <c>peft_type</c>).</summary>
    public static TConfig ReadConfig<TConfig>(string directory, Func<TConfig, string> peftType, string expected)
    {
        var path = Path.Combine(directory, ConfigFile);
        var config = JsonSerializer.Deserialize<TConfig>(File.ReadAllText(path), JsonOptions)
            ?? throw new InvalidDataException($"{path}: empty adapter config");
        if (peftType(config) != expected) throw new InvalidDataException($"{path}: peft_type '{peftType(config)}' is not {expected}");
        return config;
    }

    /// <summary>
    /// Loads adapter weights (F32, F16 or BF16 on disk, into float32) into a model that already has the
    /// matching method applied; each tensor must exist there with its shape.
    /// </summary>
    public static void LoadWeights(CausalLanguageModel model, string directory)
    {
        var path = Path.Combine(directory, WeightsFile);
        var (entries, dataStart) = SafetensorsFile.ReadHeader(path);
        var own = model.state_dict();
        using var _ = no_grad();
        foreach (var entry in entries)
        {
            var name = entry.Name.StartsWith(KeyPrefix, StringComparison.Ordinal) ? entry.Name[KeyPrefix.Length..] : entry.Name;
            if (!own.TryGetValue(name, out var target) || !target.shape.SequenceEqual(entry.Shape))
                throw new InvalidDataException($"{directory}: adapter tensor '{entry.Name}' {entry.ShapeText} has no matching layer in the model");
            using var value = SafetensorsFile.ReadFloat32(path, entry, dataStart);
            target.copy_(value);
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
}
