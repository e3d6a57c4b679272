using System.Text.Json;
using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Model;

namespace ForgetLab.Lab.Evaluation;

/// <summary>What transformers' <c>generate</c> reads from a model folder to know where to stop.</summary>
public static class HfGeneration
{
    /// <summary>
    /// The ids greedy generation stops at: <c>generation_config.json</c>'s <c>eos_token_id</c> (one id or a list) when
    /// the folder has that file, else <c>config.json</c>'s (transformers' <c>GenerationConfig.from_model_config</c>).
    /// </summary>
    public static IReadOnlyList<int> EosTokenIds(string directory)
    {
        var generation = Path.Combine(directory, GenerationConfig.FileName);
        if (File.Exists(generation)) return GenerationConfig.Parse(File.ReadAllBytes(generation)).EosTokenIds;
        var config = Path.Combine(directory, ModelFolder.ConfigFile);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(config));
        if (!doc.RootElement.TryGetProperty("eos_token_id", out var eos)) return [];
        return eos.ValueKind switch
        {
            JsonValueKind.Number when eos.TryGetInt32(out var id) => [id],
            JsonValueKind.Array => eos.EnumerateArray().Select(e => e.TryGetInt32(out var id) ? id
                : throw new InvalidDataException($"{config}: eos_token_id: expected token ids")).ToArray(),
            JsonValueKind.Null => [],
            _ => throw new InvalidDataException($"{config}: eos_token_id: expected a token id or a list of them"),
        };
    }
}
