using System.Text.Json;
using ForgetLab.Core.Models;
using TorchSharp.PyBridge;

namespace ForgetLab.Lab.Model;

/// <summary>
/// A model in Hugging Face's folder layout: <c>config.json</c> + <c>model.safetensors</c>. Keys are
/// GPT-2's; Hugging Face's non-persistent attention-mask buffers (<c>attn.bias</c>, <c>attn.masked_bias</c>)
/// and a tied <c>lm_head.weight</c> are accepted on load and ignored.
/// </summary>
public static class ModelFolder
{
    public const string ConfigFile = ModelFiles.ConfigFile;
    public const string WeightsFile = ModelFiles.WeightsFile;

    public static void Save(GptModel model, string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, ConfigFile), JsonSerializer.Serialize(model.Config, new JsonSerializerOptions { WriteIndented = true }));
        var weights = model.state_dict().Where(kv => model.IsBaseKey(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        Safetensors.SaveStateDict(Path.Combine(directory, WeightsFile), weights);
    }

    /// <summary>
    /// A model folder's identity: SHA-256 over its config, weights and vocabulary (when present), as
    /// 16 hex digits. Two folders with the same files have the same hash wherever they lie.
    /// </summary>
    public static string ContentHash(string directory)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var name in ModelFiles.All)
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path)) continue;
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(name + "\0"));
            using var stream = File.OpenRead(path);
            var buffer = new byte[1 << 20];
            int read;
            while ((read = stream.Read(buffer)) > 0) sha.AppendData(buffer, 0, read);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    public static GptConfig ReadConfig(string directory)
    {
        var path = Path.Combine(directory, ConfigFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no config.json in the model folder", path);
        return JsonSerializer.Deserialize<GptConfig>(File.ReadAllText(path))
            ?? throw new InvalidDataException($"{path}: empty model config");
    }

    public static GptModel Load(string directory)
    {
        var model = new GptModel(ReadConfig(directory));
        LoadWeights(model, directory);
        return model;
    }

    /// <summary>Copies the folder's weights into <paramref name="model"/>; every model tensor must be present with its shape.</summary>
    public static void LoadWeights(GptModel model, string directory)
    {
        var path = Path.Combine(directory, WeightsFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no model.safetensors in the model folder", path);
        var loaded = Safetensors.LoadStateDict(path);
        var own = model.state_dict().Where(kv => model.IsBaseKey(kv.Key)).ToList();
        using var _ = TorchSharp.torch.no_grad();
        foreach (var (key, target) in own)
        {
            // Hugging Face's base GPT2Model files omit the "transformer." prefix.
            if (!loaded.TryGetValue(key, out var value) && !loaded.TryGetValue(key.Replace("transformer.", "", StringComparison.Ordinal), out value))
                throw new InvalidDataException($"{path}: missing tensor '{key}'");
            if (!value.shape.SequenceEqual(target.shape))
                throw new InvalidDataException($"{path}: tensor '{key}' has shape [{string.Join(", ", value.shape)}], the model expects [{string.Join(", ", target.shape)}]");
            target.copy_(value);
        }
        foreach (var t in loaded.Values) t.Dispose();
    }
}
