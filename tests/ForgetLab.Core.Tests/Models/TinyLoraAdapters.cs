using System.Text;
using System.Text.Json.Nodes;

namespace ForgetLab.Core.Tests.Models;

/// <summary>
/// PEFT LoRA adapter folders for <see cref="TinyHfFolders"/>' one-layer Llama (hidden 8, 2 heads, 1 key-value head of 4, MLP 12),
/// as files in memory: <c>adapter_config.json</c> as PEFT's <c>save_pretrained</c> writes it, and <c>adapter_model.safetensors</c>
/// under PEFT's key names with small seeded values. The config is a <see cref="JsonObject"/> a test may change first.
/// </summary>
public static class TinyLoraAdapters
{
    /// <summary>In and out features of each projection of the tiny Llama's layer.</summary>
    public static readonly IReadOnlyDictionary<string, (int In, int Out)> Projections = new Dictionary<string, (int, int)>
    {
        ["self_attn.q_proj"] = (8, 8), ["self_attn.k_proj"] = (8, 4), ["self_attn.v_proj"] = (8, 4), ["self_attn.o_proj"] = (8, 8),
        ["mlp.gate_proj"] = (8, 12), ["mlp.up_proj"] = (8, 12), ["mlp.down_proj"] = (12, 8),
    };

    /// <summary>PEFT's adapter_config.json of a LoRA of rank <paramref name="rank"/> on <paramref name="modules"/> (the last path parts).</summary>
    public static JsonObject Config(int rank, double alpha, params string[] modules) => new()
    {
        ["peft_type"] = "LORA", ["task_type"] = "CAUSAL_LM", ["base_model_name_or_path"] = "tiny-llama", ["r"] = rank, ["lora_alpha"] = alpha,
        ["lora_dropout"] = 0.0, ["target_modules"] = new JsonArray([.. modules.Select(m => JsonValue.Create(m))]), ["fan_in_fan_out"] = false,
        ["bias"] = "none", ["use_rslora"] = false, ["modules_to_save"] = null, ["init_lora_weights"] = true, ["inference_mode"] = true,
        ["layers_to_transform"] = null, ["layers_pattern"] = null, ["rank_pattern"] = new JsonObject(), ["alpha_pattern"] = new JsonObject(), ["use_dora"] = false,
    };

    /// <summary>The adapter's two files: <paramref name="config"/> and lora_A (r, in) / lora_B (out, r) for each projection path given.</summary>
    public static Dictionary<string, byte[]> Files(JsonObject config, int rank, params string[] projections)
    {
        var tensors = projections.SelectMany(p => new[]
        {
            ($"base_model.model.model.layers.0.{p}.lora_A.weight", new long[] { rank, Projections[p].In }),
            ($"base_model.model.model.layers.0.{p}.lora_B.weight", new long[] { Projections[p].Out, rank }),
        });
        return new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["adapter_config.json"] = Encoding.UTF8.GetBytes(config.ToJsonString()),
            ["adapter_model.safetensors"] = TinyHfFolders.Safetensors(tensors),
        };
    }

    /// <summary>A rank-<paramref name="rank"/> LoRA on the projection paths given, its alpha large so its change stands above float32 noise.</summary>
    public static Dictionary<string, byte[]> Lora(int rank, params string[] projections) =>
        Files(Config(rank, 256, [.. projections.Select(p => p[(p.LastIndexOf('.') + 1)..])]), rank, projections);
}
