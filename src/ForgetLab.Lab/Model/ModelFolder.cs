using System.Text.Json;
using ForgetLab.Core.Models;
using ForgetLab.Lab.Model.Weights;
using ForgetLab.Lab.Tokenization;

namespace ForgetLab.Lab.Model;

/// <summary>
/// A model in Hugging Face's folder layout: <c>config.json</c> (its architecture by <c>model_type</c>,
/// read by <see cref="HfConfig"/>) and <c>model.safetensors</c> or a sharded index
/// (<see cref="ModelWeights"/>). Keys are Hugging Face's; its non-persistent buffers and a tied
/// <c>lm_head.weight</c> are accepted on load and ignored.
/// </summary>
public static class ModelFolder
{
    public const string ConfigFile = ModelFiles.ConfigFile;
    public const string WeightsFile = ModelFiles.WeightsFile;

    /// <summary>config.json and the model's own tensors, sharded past <paramref name="maxShardBytes"/> (transformers' "5GB" by default).</summary>
    public static void Save(CausalLanguageModel model, string directory, long maxShardBytes = ShardPlan.DefaultMaxShardBytes) =>
        Save(model.BaseStateDict(), model.Config, directory, maxShardBytes);

    /// <summary>config.json for <paramref name="config"/> and <paramref name="tensors"/> (the architecture's keys) as its weights.</summary>
    public static void Save(IReadOnlyDictionary<string, TorchSharp.torch.Tensor> tensors, IModelConfig config, string directory, long maxShardBytes)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, ConfigFile), JsonSerializer.Serialize(config, config.GetType(), new JsonSerializerOptions { WriteIndented = true }));
        ModelWeights.Save(tensors, directory, maxShardBytes);
    }

    /// <summary>
    /// A model folder's identity: SHA-256 over its config, weights and vocabulary (when present), then its
    /// shards and tokenizer files, as 16 hex digits. Two folders with the same files have the same hash wherever
    /// they lie; a folder without shards or tokenizer files hashes as it did before those were counted.
    /// </summary>
    public static string ContentHash(string directory)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var shards = File.Exists(Path.Combine(directory, ModelWeights.IndexFile))
            ? ModelWeights.Files(directory).Select(Path.GetFileName).Prepend(ModelWeights.IndexFile)
            : [];
        foreach (var name in ModelFiles.All.Concat(shards).Concat(TokenizerFolderFiles.Names).Distinct(StringComparer.Ordinal))
        {
            var path = Path.Combine(directory, name!);
            if (!File.Exists(path)) continue;
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(name + "\0"));
            using var stream = File.OpenRead(path);
            var buffer = new byte[1 << 20];
            int read;
            while ((read = stream.Read(buffer)) > 0) sha.AppendData(buffer, 0, read);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    public static IModelConfig ReadConfig(string directory) => HfConfig.Read(Path.Combine(directory, ConfigFile));

    public static CausalLanguageModel Load(string directory)
    {
        var model = ModelArchitectures.Create(ReadConfig(directory));
        try
        {
            LoadWeights(model, directory);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }

    /// <summary>Copies the folder's weights into <paramref name="model"/>; every model tensor must be present with its shape.</summary>
    public static void LoadWeights(CausalLanguageModel model, string directory) => ModelWeights.Load(model, directory);
}
