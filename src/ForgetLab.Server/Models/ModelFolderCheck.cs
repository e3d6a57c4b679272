using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Models;

namespace ForgetLab.Server.Models;

/// <summary>
/// Checks a model folder before it is registered, without loading it: <c>config.json</c> must be a
/// GPT-2 config the lab reads, <c>model.safetensors</c> a well-formed safetensors file whose token
/// embedding matches the config, and <c>vocab.json</c> the word vocabulary the lab's tokenizer
/// loads. Every problem is named with the file (and field) it is in.
/// </summary>
public static class ModelFolderCheck
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string VocabFile = "vocab.json";

    /// <summary>The files a registered model consists of, in the order they are stored (the vocabulary last).</summary>
    public static readonly ImmutableArray<string> Files = [ConfigFile, WeightsFile, VocabFile];

    private static readonly string[] ConfigInts = ["vocab_size", "n_positions", "n_embd", "n_layer", "n_head"];

    private static readonly Dictionary<string, int> DtypeBytes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <summary>The architecture and the files' hashes, or every problem found.</summary>
    public static (ModelArchitecture? Architecture, ImmutableArray<ModelFile> Files, ImmutableArray<FieldError> Errors) Check(IReadOnlyDictionary<string, byte[]> files)
    {
        var errors = ImmutableArray.CreateBuilder<FieldError>();
        foreach (var name in Files.Where(n => !files.ContainsKey(n)))
            errors.Add(new FieldError(0, name, $"missing: a model folder needs {string.Join(", ", Files)} (found {(files.Count == 0 ? "no files" : string.Join(", ", files.Keys.Order()))})"));

        var config = files.TryGetValue(ConfigFile, out var configBytes) ? ReadConfig(configBytes, errors) : null;
        long parameters = 0;
        if (files.TryGetValue(WeightsFile, out var weights)) parameters = ReadWeights(weights, config, errors);
        if (files.TryGetValue(VocabFile, out var vocab)) ReadVocab(vocab, config, errors);

        if (errors.Count > 0 || config is null) return (null, [], errors.ToImmutable());
        var architecture = new ModelArchitecture("gpt2", config["vocab_size"], config["n_positions"], config["n_embd"], config["n_layer"], config["n_head"], parameters);
        var hashed = Files.Select(n => new ModelFile(n, files[n].LongLength, Convert.ToHexStringLower(SHA256.HashData(files[n])))).ToImmutableArray();
        return (architecture, hashed, []);
    }

    private static Dictionary<string, int>? ReadConfig(byte[] bytes, ImmutableArray<FieldError>.Builder errors)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(bytes).RootElement;
        }
        catch (JsonException e)
        {
            errors.Add(new FieldError(0, ConfigFile, $"not valid JSON: {e.Message}"));
            return null;
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(0, ConfigFile, "must be a JSON object"));
            return null;
        }

        var before = errors.Count;
        if (root.TryGetProperty("model_type", out var type) && type.GetString() != "gpt2")
            errors.Add(new FieldError(0, $"{ConfigFile}.model_type", $"'{type}' is not a model the lab loads (expected gpt2)"));
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in ConfigInts)
        {
            if (!root.TryGetProperty(key, out var value))
                errors.Add(new FieldError(0, $"{ConfigFile}.{key}", "required field is missing"));
            else if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var n) || n < 1)
                errors.Add(new FieldError(0, $"{ConfigFile}.{key}", $"must be a positive integer, got {value.GetRawText()}"));
            else
                values[key] = n;
        }
        if (values.TryGetValue("n_embd", out var embd) && values.TryGetValue("n_head", out var heads) && embd % heads != 0)
            errors.Add(new FieldError(0, $"{ConfigFile}.n_embd", $"must be divisible by n_head ({heads}), got {embd}"));
        return errors.Count > before ? null : values;
    }

    /// <summary>The safetensors layout: an 8-byte little-endian header length, a JSON header, then the tensors' bytes.</summary>
    private static long ReadWeights(byte[] bytes, Dictionary<string, int>? config, ImmutableArray<FieldError>.Builder errors)
    {
        if (bytes.Length < 8)
        {
            errors.Add(new FieldError(0, WeightsFile, $"is {bytes.Length} bytes: too short for a safetensors file"));
            return 0;
        }
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
        {
            errors.Add(new FieldError(0, WeightsFile, $"its header claims {headerLength} bytes but the file has {bytes.Length - 8} after the length: not a safetensors file, or cut short"));
            return 0;
        }
        JsonElement header;
        try
        {
            header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength)).RootElement;
        }
        catch (JsonException e)
        {
            errors.Add(new FieldError(0, WeightsFile, $"its header is not valid JSON: {e.Message}"));
            return 0;
        }

        var dataLength = bytes.Length - 8 - (long)headerLength;
        long parameters = 0;
        var tensors = 0;
        foreach (var tensor in header.EnumerateObject().Where(t => t.Name != "__metadata__"))
        {
            tensors++;
            var where = $"{WeightsFile}[{tensor.Name}]";
            try
            {
                var dtype = tensor.Value.GetProperty("dtype").GetString() ?? "";
                var shape = tensor.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                var offsets = tensor.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                var count = shape.Aggregate(1L, (a, d) => a * d);
                if (!DtypeBytes.TryGetValue(dtype, out var size))
                    errors.Add(new FieldError(0, where, $"unknown dtype '{dtype}'"));
                else if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                    errors.Add(new FieldError(0, where, $"data_offsets [{string.Join(", ", offsets)}] lie outside the file's {dataLength} data bytes"));
                else if (offsets[1] - offsets[0] != count * size)
                    errors.Add(new FieldError(0, where, $"holds {offsets[1] - offsets[0]} bytes but shape [{string.Join(", ", shape)}] of {dtype} needs {count * size}"));
                parameters += count;
                if (config is not null && tensor.Name is "wte.weight" or "transformer.wte.weight"
                    && !shape.SequenceEqual([config["vocab_size"], config["n_embd"]]))
                    errors.Add(new FieldError(0, where, $"has shape [{string.Join(", ", shape)}] but config.json says vocab_size {config["vocab_size"]} × n_embd {config["n_embd"]}"));
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                errors.Add(new FieldError(0, where, "needs dtype, shape and data_offsets"));
            }
        }
        if (tensors == 0) errors.Add(new FieldError(0, WeightsFile, "holds no tensors"));
        return parameters;
    }

    private static void ReadVocab(byte[] bytes, Dictionary<string, int>? config, ImmutableArray<FieldError>.Builder errors)
    {
        Dictionary<string, int>? vocabulary;
        try
        {
            vocabulary = JsonSerializer.Deserialize<Dictionary<string, int>>(bytes);
        }
        catch (JsonException e)
        {
            errors.Add(new FieldError(0, VocabFile, $"must be a JSON object of token → id (the lab's word tokenizer): {e.Message}"));
            return;
        }
        if (vocabulary is null || vocabulary.Count == 0)
            errors.Add(new FieldError(0, VocabFile, "holds no tokens"));
        else if (config is not null && vocabulary.Count > config["vocab_size"])
            errors.Add(new FieldError(0, VocabFile, $"holds {vocabulary.Count} tokens, more than config.json's vocab_size {config["vocab_size"]}"));
    }
}
