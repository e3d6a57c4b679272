using System.Text.Json;
using ForgetLab.Core.Models;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model.Weights;

/// <summary>
/// A model folder's weights, as Hugging Face lays them out: one <c>model.safetensors</c>, or shards
/// named by <c>model.safetensors.index.json</c>'s <c>weight_map</c>. Loading copies every tensor the
/// architecture has (converted to float32) and refuses a missing tensor, a shape that does not match
/// the config, a tensor the architecture has no place for, a shard the index names that is absent, and
/// a tensor found in a shard other than the one the index names.
/// </summary>
public static class ModelWeights
{
    public const string SingleFile = ModelFiles.WeightsFile;
    public const string IndexFile = ModelFiles.WeightsIndexFile;

    /// <summary>Tensors Hugging Face files may hold that no architecture here keeps (non-persistent buffers, tied heads).</summary>
    private static bool Ignorable(string key, CausalLanguageModel model) =>
        key.EndsWith(".attn.bias", StringComparison.Ordinal) || key.EndsWith(".attn.masked_bias", StringComparison.Ordinal)
        || key.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal)
        || (key == "lm_head.weight" && !model.IsBaseKey(key));

    /// <summary>The safetensors files of the folder (one, or the index's shards in order); an error names what is missing.</summary>
    public static IReadOnlyList<string> Files(string directory)
    {
        var index = Path.Combine(directory, IndexFile);
        if (File.Exists(index)) return ReadIndex(index).Values.Distinct(StringComparer.Ordinal).Select(f => Path.Combine(directory, f)).ToList();
        var single = Path.Combine(directory, SingleFile);
        if (File.Exists(single)) return [single];
        throw new FileNotFoundException($"{directory}: no {SingleFile} and no {IndexFile} in the model folder", single);
    }

    /// <summary>Copies the folder's weights into <paramref name="model"/>; every tensor of the architecture must be present with its shape.</summary>
    public static void Load(CausalLanguageModel model, string directory)
    {
        var index = Path.Combine(directory, IndexFile);
        var weightMap = File.Exists(index) ? ReadIndex(index) : null;
        var found = new Dictionary<string, (string File, SafetensorsEntry Entry, long DataStart)>(StringComparer.Ordinal);
        foreach (var file in Files(directory))
        {
            if (!File.Exists(file)) throw new FileNotFoundException($"{index}: weight_map names '{Path.GetFileName(file)}', which is not in the folder", file);
            var (entries, dataStart) = SafetensorsFile.ReadHeader(file);
            foreach (var entry in entries)
            {
                if (weightMap is not null && (!weightMap.TryGetValue(entry.Name, out var mapped) || mapped != Path.GetFileName(file)))
                    throw new InvalidDataException($"{file}: tensor '{entry.Name}' is not where {IndexFile}'s weight_map puts it ({(mapped is null ? "absent there" : mapped)})");
                if (!found.TryAdd(entry.Name, (file, entry, dataStart)))
                    throw new InvalidDataException($"{file}: tensor '{entry.Name}' is also in {Path.GetFileName(found[entry.Name].File)}");
            }
        }
        if (weightMap is not null && weightMap.Keys.FirstOrDefault(k => !found.ContainsKey(k)) is { } absent)
            throw new InvalidDataException($"{Path.Combine(directory, weightMap[absent])}: tensor '{absent}' is in {IndexFile}'s weight_map but not in the file");

        var own = model.BaseStateDict();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var where = weightMap is null ? Path.Combine(directory, SingleFile) : index;
        using var _ = no_grad();
        foreach (var (key, target) in own)
        {
            // Hugging Face's base GPT2Model files omit the "transformer." prefix.
            var name = found.ContainsKey(key) ? key : key.Replace("transformer.", "", StringComparison.Ordinal);
            if (!found.TryGetValue(name, out var source)) throw new InvalidDataException($"{where}: missing tensor '{key}'");
            if (!source.Entry.Shape.SequenceEqual(target.shape))
                throw new InvalidDataException($"{source.File}: tensor '{name}' has shape {source.Entry.ShapeText}, the config ({model.Config.ModelType}) expects [{string.Join(", ", target.shape)}]");
            using var value = SafetensorsFile.ReadFloat32(source.File, source.Entry, source.DataStart);
            target.copy_(value);
            used.Add(name);
        }
        if (found.Keys.FirstOrDefault(k => !used.Contains(k) && !Ignorable(k, model)) is { } extra)
            throw new InvalidDataException($"{found[extra].File}: tensor '{extra}' has no place in a {model.Config.ModelType} model with this config.json");
    }

    /// <summary>Writes the model's own tensors (float32) as one <c>model.safetensors</c>, or shards past <paramref name="maxShardBytes"/>.</summary>
    public static void Save(CausalLanguageModel model, string directory, long maxShardBytes = ShardPlan.DefaultMaxShardBytes) =>
        Save(model.BaseStateDict(), directory, maxShardBytes);

    /// <summary>
    /// Writes float32 <paramref name="tensors"/> as transformers' <c>save_pretrained</c> does (<see cref="ShardPlan"/>):
    /// one <c>model.safetensors</c>, or shards and <c>model.safetensors.index.json</c> (<c>metadata.total_size</c> in
    /// bytes, <c>weight_map</c>; keys sorted, two-space indent and a final newline, as its <c>json.dumps</c>). Weight
    /// files of another layout left in the folder are removed, so it never holds both.
    /// </summary>
    public static void Save(IReadOnlyDictionary<string, Tensor> tensors, string directory, long maxShardBytes)
    {
        var shards = ShardPlan.Split(tensors.Select(kv => (kv.Key, kv.Value.numel() * 4)), maxShardBytes);
        foreach (var stale in Directory.GetFiles(directory, "model*.safetensors").Append(Path.Combine(directory, IndexFile)).Where(File.Exists))
            File.Delete(stale);
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < shards.Count; i++)
        {
            var file = ShardPlan.FileName(i, shards.Count);
            SafetensorsFile.Write(Path.Combine(directory, file), shards[i].Select(name => KeyValuePair.Create(name, tensors[name])));
            foreach (var name in shards[i]) weightMap[name] = file;
        }
        if (shards.Count < 2) return;
        var index = new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["metadata"] = new Dictionary<string, long> { ["total_size"] = tensors.Values.Sum(t => t.numel() * 4) },
            ["weight_map"] = weightMap,
        };
        File.WriteAllText(Path.Combine(directory, IndexFile), JsonSerializer.Serialize(index, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private static Dictionary<string, string> ReadIndex(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (!doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{path}: weight_map: missing or not an object");
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in map.EnumerateObject())
            {
                var file = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw new InvalidDataException($"{path}: weight_map.{p.Name}: must be a file name");
                if (file.Contains('/') || file.Contains('\\') || file is "." or "..") throw new InvalidDataException($"{path}: weight_map.{p.Name}: '{file}' is not a file name in the folder");
                result[p.Name] = file;
            }
            return result;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
        }
    }
}
