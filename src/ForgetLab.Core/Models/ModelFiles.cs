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

    /// <summary>A safetensors file of the folder (the single weights file or a shard the index names).</summary>
    public static bool IsSafetensors(string name) => name.EndsWith(".safetensors", StringComparison.Ordinal);

    /// <summary>Whether a file at a folder's top level belongs to the model (weights, config, tokenizer, or a PEFT adapter's two files); anything else travels nowhere.</summary>
    public static bool IsModelFile(string name) =>
        name is ConfigFile or WeightsIndexFile or VocabFile or PeftAdapterCheck.ConfigFile || IsSafetensors(name) || TokenizerFiles.Contains(name);

    /// <summary>
    /// The model files of a folder, config.json last: a copy that stores them in this order is whole once
    /// config.json is there.
    /// </summary>
    public static IReadOnlyList<string> InFolder(string directory) =>
        [.. Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>()
            .Where(n => IsModelFile(n) && n != ConfigFile).Order(StringComparer.Ordinal)
            .Concat(File.Exists(Path.Combine(directory, ConfigFile)) ? [ConfigFile] : [])];
}
