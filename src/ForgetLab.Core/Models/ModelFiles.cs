namespace ForgetLab.Core.Models;

/// <summary>
/// The file names of a model folder in Hugging Face's layout, as the lab writes and loads it, the worker
/// uploads and downloads it, and the server checks it before registering it.
/// </summary>
public static class ModelFiles
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";

    /// <summary>A sharded folder's index (Hugging Face's <c>weight_map</c>: tensor name → shard file), instead of <see cref="WeightsFile"/>.</summary>
    public const string WeightsIndexFile = "model.safetensors.index.json";

    /// <summary>The lab's word vocabulary (token → id), beside the weights.</summary>
    public const string VocabFile = "vocab.json";

    /// <summary>
    /// A Hugging Face folder's tokenizer files (transformers' <c>save_pretrained</c> names) and the lab's word vocabulary:
    /// whichever of them a folder has travel with its weights.
    /// </summary>
    public static readonly IReadOnlyList<string> TokenizerFiles =
        ["tokenizer.json", "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json", "chat_template.jinja", VocabFile];

    /// <summary>Every file of a model folder, in the order a folder's identity hashes them.</summary>
    public static readonly IReadOnlyList<string> All = [ConfigFile, WeightsFile, VocabFile];
}
