using System.Text.Json;
using System.Text.Json.Serialization;
using ForgetLab.Lab.Model;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Peft;

/// <summary>
/// Adapter-only checkpoints in PEFT's layout: <c>adapter_config.json</c> and <c>adapter_model.safetensors</c>
/// whose keys are PEFT's (<c>base_model.model.transformer.h.0.attn.c_attn.lora_A.weight</c>), so
/// <c>PeftModel.from_pretrained</c> can load them onto a GPT-2 base.
/// </summary>
public static class PeftAdapterFiles
{
    public const string ConfigFile = "adapter_config.json";
    public const string WeightsFile = "adapter_model.safetensors";
    private const string KeyPrefix = "base_model.model.";

    public static void Save(GptModel model, LoraSettings settings, string directory, string baseModelName)
    {
        Directory.CreateDirectory(directory);
        var adapters = model.state_dict()
            .Where(kv => kv.Key.Contains(".lora_", StringComparison.Ordinal))
            .ToDictionary(kv => KeyPrefix + kv.Key, kv => kv.Value);
        Safetensors.SaveStateDict(Path.Combine(directory, WeightsFile), adapters);
        var config = new PeftLoraConfig(
            BaseModelNameOrPath: baseModelName,
            R: settings.Rank,
            LoraAlpha: settings.Alpha,
            LoraDropout: settings.Dropout,
            TargetModules: settings.TargetModules,
            UseRsLora: settings.UseRsLora);
        File.WriteAllText(Path.Combine(directory, ConfigFile), JsonSerializer.Serialize(config, JsonOptions));
    }

    public static LoraSettings ReadSettings(string directory)
    {
        var path = Path.Combine(directory, ConfigFile);
        var config = JsonSerializer.Deserialize<PeftLoraConfig>(File.ReadAllText(path), JsonOptions)
            ?? throw new InvalidDataException($"{path}: empty adapter config");
        if (config.PeftType != "LORA") throw new InvalidDataException($"{path}: peft_type '{config.PeftType}' is not LORA");
        return new LoraSettings(config.R, config.LoraAlpha, config.LoraDropout, config.TargetModules, config.UseRsLora);
    }

    /// <summary>Loads adapter weights into a model that already has matching adapters attached.</summary>
    public static void LoadWeights(GptModel model, string directory)
    {
        var loaded = Safetensors.LoadStateDict(Path.Combine(directory, WeightsFile));
        var own = model.state_dict();
        using var _ = no_grad();
        foreach (var (key, value) in loaded)
        {
            var name = key.StartsWith(KeyPrefix, StringComparison.Ordinal) ? key[KeyPrefix.Length..] : key;
            if (!own.TryGetValue(name, out var target))
                throw new InvalidDataException($"{directory}: adapter tensor '{key}' has no matching layer in the model");
            target.copy_(value);
            value.Dispose();
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>The fields of PEFT's LoraConfig that describe this adapter.</summary>
    private sealed record PeftLoraConfig(
        [property: JsonPropertyName("base_model_name_or_path")] string BaseModelNameOrPath,
        [property: JsonPropertyName("r")] int R,
        [property: JsonPropertyName("lora_alpha")] double LoraAlpha,
        [property: JsonPropertyName("lora_dropout")] double LoraDropout,
        [property: JsonPropertyName("target_modules")] IReadOnlyList<string> TargetModules,
        [property: JsonPropertyName("use_rslora")] bool UseRsLora)
    {
        [JsonPropertyName("peft_type")] public string PeftType { get; init; } = "LORA";
        [JsonPropertyName("task_type")] public string TaskType { get; init; } = "CAUSAL_LM";
        [JsonPropertyName("fan_in_fan_out")] public bool FanInFanOut { get; init; } = true; // GPT-2's Conv1D stores (in, out)
        [JsonPropertyName("bias")] public string Bias { get; init; } = "none";
        [JsonPropertyName("inference_mode")] public bool InferenceMode { get; init; } = true;
        [JsonPropertyName("init_lora_weights")] public bool InitLoraWeights { get; init; } = true;
    }
}
