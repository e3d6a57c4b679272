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

    /// <summary>Every file of a model folder, in the order a folder's identity hashes them.</summary>
    public static readonly IReadOnlyList<string> All = [ConfigFile, WeightsFile, VocabFile];
}
