using System.Text.Json;

namespace ForgetLab.Core.Models;

/// <summary>
/// Reads a Hugging Face <c>config.json</c> into the architecture it names: <c>model_type</c>, or, where
/// that is absent, the first of <c>architectures</c> (GPT2LMHeadModel, LlamaForCausalLM, …). The two must
/// agree when both are given. A field that is missing, of the wrong JSON type or contradicting another
/// is an <see cref="InvalidDataException"/> naming the file and the field; optional fields take
/// transformers' defaults.
/// </summary>
public static class HfConfig
{
    /// <summary>model_type → the architectures class names transformers gives it.</summary>
    private static readonly Dictionary<string, string> ClassNames = new(StringComparer.Ordinal)
    {
        ["gpt2"] = "GPT2LMHeadModel",
        ["llama"] = "LlamaForCausalLM",
        ["mistral"] = "MistralForCausalLM",
        ["qwen2"] = "Qwen2ForCausalLM",
        ["qwen3"] = "Qwen3ForCausalLM",
    };

    /// <summary>The architectures entry transformers writes for a model_type.</summary>
    public static string ClassName(string modelType) => ClassNames[modelType];

    public static IModelConfig Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no config.json in the model folder", path);
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
        }
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: the config is not a JSON object");
        var fields = new Fields(path, root);
        return ModelTypeOf(fields) switch
        {
            "gpt2" => ReadGpt2(path, fields),
            var type => ReadLlama(fields, type),
        };
    }

    private static string ModelTypeOf(Fields f)
    {
        var modelType = f.OptionalString("model_type");
        var architectures = f.OptionalStrings("architectures");
        string? fromClass = null;
        if (architectures is { Count: > 0 })
        {
            fromClass = ClassNames.FirstOrDefault(kv => kv.Value == architectures[0]).Key;
            if (fromClass is null && modelType is null)
                throw f.Error("architectures", $"'{architectures[0]}' is not a supported architecture ({string.Join(", ", ClassNames.Values)})");
        }
        if (modelType is null)
        {
            // ForgetLab's own GPT-2 folders before architectures existed wrote model_type; a folder with neither is not a model config.
            return fromClass ?? throw f.Error("model_type", "missing (and no architectures to tell the architecture by)");
        }
        if (!ClassNames.ContainsKey(modelType))
            throw f.Error("model_type", $"'{modelType}' is not a supported architecture ({string.Join(", ", ClassNames.Keys)})");
        if (architectures is { Count: > 0 } && fromClass != modelType)
            throw f.Error("architectures", $"'{architectures[0]}' contradicts model_type '{modelType}' (expected {ClassNames[modelType]})");
        return modelType;
    }

    private static GptConfig ReadGpt2(string path, Fields f)
    {
        // GPT-2 keeps its long-standing reader (every field optional with GPT2Config's defaults here),
        // type-checked first so a wrong type names its field.
        foreach (var name in new[] { "vocab_size", "n_positions", "n_embd", "n_layer", "n_head" }) f.OptionalInt(name);
        foreach (var name in new[] { "resid_pdrop", "layer_norm_epsilon", "initializer_range" }) f.OptionalDouble(name);
        var config = JsonSerializer.Deserialize<GptConfig>(f.Root.GetRawText())
            ?? throw new InvalidDataException($"{path}: empty model config");
        if (config.NHead <= 0 || config.NEmbd % config.NHead != 0)
            throw f.Error("n_head", $"{config.NHead} does not divide n_embd ({config.NEmbd})");
        return config;
    }

    private static LlamaConfig ReadLlama(Fields f, string modelType)
    {
        var hidden = f.PositiveInt("hidden_size");
        var heads = f.PositiveInt("num_attention_heads");
        var kvHeads = f.OptionalInt("num_key_value_heads") ?? heads;
        if (kvHeads <= 0 || heads % kvHeads != 0)
            throw f.Error("num_key_value_heads", $"{kvHeads} does not divide num_attention_heads ({heads})");
        var headDim = f.OptionalInt("head_dim");
        if (headDim is null && hidden % heads != 0)
            throw f.Error("num_attention_heads", $"{heads} does not divide hidden_size ({hidden}) and there is no head_dim");
        if (headDim is <= 0 || (headDim ?? hidden / heads) % 2 != 0)
            throw f.Error("head_dim", $"{headDim ?? hidden / heads} must be a positive even number (RoPE rotates pairs)");
        var act = f.OptionalString("hidden_act") ?? "silu";
        if (act is not ("silu" or "swish"))
            throw f.Error("hidden_act", $"'{act}' is not supported (silu)");
        if (f.OptionalInt("pretraining_tp") is > 1)
            throw f.Error("pretraining_tp", "values above 1 are not supported");
        var maxPositions = f.PositiveInt("max_position_embeddings");
        if (f.OptionalInt("sliding_window") is { } window && window < maxPositions && f.OptionalBool("use_sliding_window") != false)
            throw f.Error("sliding_window", $"{window} is shorter than max_position_embeddings ({maxPositions}): sliding-window attention is not supported");
        var eps = f.OptionalDouble("rms_norm_eps") ?? 1e-6;
        if (eps <= 0) throw f.Error("rms_norm_eps", $"{eps} must be positive");
        var theta = f.OptionalDouble("rope_theta") ?? 10000.0;
        if (theta <= 0) throw f.Error("rope_theta", $"{theta} must be positive");
        return new LlamaConfig
        {
            ModelType = modelType,
            VocabSize = f.PositiveInt("vocab_size"),
            HiddenSize = hidden,
            IntermediateSize = f.PositiveInt("intermediate_size"),
            NumHiddenLayers = f.PositiveInt("num_hidden_layers"),
            NumAttentionHeads = heads,
            NumKeyValueHeads = kvHeads,
            HeadDim = headDim ?? hidden / heads,
            MaxPositionEmbeddings = maxPositions,
            RmsNormEps = eps,
            RopeTheta = theta,
            RopeScaling = ReadRopeScaling(f, maxPositions),
            HiddenAct = "silu",
            AttentionBias = f.OptionalBool("attention_bias") ?? false,
            MlpBias = f.OptionalBool("mlp_bias") ?? false,
            TieWordEmbeddings = f.OptionalBool("tie_word_embeddings") ?? false,
            InitializerRange = f.OptionalDouble("initializer_range") ?? 0.02,
            TorchDtype = f.OptionalString("torch_dtype") ?? "float32",
        };
    }

    private static RopeScaling? ReadRopeScaling(Fields f, int maxPositions)
    {
        if (!f.Root.TryGetProperty("rope_scaling", out var r) || r.ValueKind == JsonValueKind.Null) return null;
        if (r.ValueKind != JsonValueKind.Object) throw f.Error("rope_scaling", "must be an object or null");
        var s = new Fields(f.Path, r, "rope_scaling.");
        // transformers: "rope_type", formerly "type".
        var type = s.OptionalString("rope_type") ?? s.OptionalString("type")
            ?? throw f.Error("rope_scaling.rope_type", "missing");
        switch (type)
        {
            case "default":
                return new RopeScaling { RopeType = type };
            case "linear":
                return new RopeScaling { RopeType = type, Factor = Factor(s) };
            case "llama3":
            {
                var low = s.RequiredDouble("low_freq_factor");
                var high = s.RequiredDouble("high_freq_factor");
                if (high <= low) throw s.Error("high_freq_factor", $"{high} must be greater than low_freq_factor ({low})");
                var original = s.PositiveInt("original_max_position_embeddings");
                return new RopeScaling { RopeType = type, Factor = Factor(s), LowFreqFactor = low, HighFreqFactor = high, OriginalMaxPositionEmbeddings = original };
            }
            default:
                throw s.Error("rope_type", $"'{type}' is not supported (default, linear, llama3)");
        }

        static double Factor(Fields s)
        {
            var factor = s.RequiredDouble("factor");
            return factor >= 1.0 ? factor : throw s.Error("factor", $"{factor} must be at least 1");
        }
    }

    /// <summary>Typed access to one JSON object's fields, every failure naming file and field.</summary>
    private sealed class Fields(string path, JsonElement root, string prefix = "")
    {
        public string Path => path;
        public JsonElement Root => root;

        public InvalidDataException Error(string field, string problem) => new($"{path}: {prefix}{field}: {problem}");

        private JsonElement? Get(string name) =>
            root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

        public string? OptionalString(string name) => Get(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } v => v.GetString(),
            _ => throw Error(name, "must be a string"),
        };

        public IReadOnlyList<string>? OptionalStrings(string name) => Get(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.Array } v when v.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
                v.EnumerateArray().Select(e => e.GetString()!).ToList(),
            _ => throw Error(name, "must be a list of strings"),
        };

        public int? OptionalInt(string name) => Get(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.Number } v when v.TryGetInt32(out var i) => i,
            _ => throw Error(name, "must be an integer"),
        };

        public int PositiveInt(string name) => OptionalInt(name) switch
        {
            null => throw Error(name, "missing"),
            <= 0 and var i => throw Error(name, $"{i} must be positive"),
            var i => i.Value,
        };

        public double? OptionalDouble(string name) => Get(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.Number } v => v.GetDouble(),
            _ => throw Error(name, "must be a number"),
        };

        public double RequiredDouble(string name) => OptionalDouble(name) ?? throw Error(name, "missing");

        public bool? OptionalBool(string name) => Get(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            _ => throw Error(name, "must be true or false"),
        };
    }
}
