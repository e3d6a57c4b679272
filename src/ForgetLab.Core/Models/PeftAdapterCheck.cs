using System.Text.Json;

namespace ForgetLab.Core.Models;

/// <summary>
/// Checks a PEFT LoRA adapter folder (<c>adapter_config.json</c> + <c>adapter_model.safetensors</c>, PEFT's key names:
/// <c>base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight</c>) against the base it goes on, without loading a
/// tensor, so the registry refuses at upload what the lab would refuse when it evaluates the adapter. It reads
/// <c>adapter_config.json</c> with PEFT's <c>LoraConfig</c> meanings:
/// <list type="bullet">
/// <item><c>r</c> and <c>lora_alpha</c> (required: PEFT's <c>save_pretrained</c> always writes them), <c>use_rslora</c>
/// (scaling alpha/√r rather than alpha/r); <c>lora_dropout</c> and <c>init_lora_weights</c> only matter in training;</item>
/// <item><c>target_modules</c>: a list of module names, each matching a layer whose path is the name or ends with "." + it,
/// or <c>all-linear</c> (every linear layer but the output head); every name must match a projection of the base
/// (PEFT refuses a target it does not find); a regular expression (a string) is refused;</item>
/// <item><c>fan_in_fan_out</c> must be the base's layout (GPT-2's Conv1D: true; the Llama family's Linear: false) — PEFT
/// overrides a contradicting flag with a warning, but the lab refuses it as an adapter saved for another architecture;</item>
/// <item><c>bias</c> must be <c>none</c>, and <c>modules_to_save</c>, <c>rank_pattern</c>, <c>alpha_pattern</c>,
/// <c>layers_to_transform</c>, <c>layers_pattern</c>, <c>use_dora</c>, <c>exclude_modules</c>, <c>target_parameters</c>,
/// <c>layer_replication</c>, <c>trainable_token_indices</c>, <c>lora_bias</c> empty or off: their tensors or rules are not
/// evaluated here, and each is refused by its key;</item>
/// <item><c>peft_type</c> must be LORA and <c>task_type</c>, when given, CAUSAL_LM; keys PEFT does not know are ignored, as PEFT ignores them.</item>
/// </list>
/// Then every tensor must be <c>lora_A.weight</c> (r, in) or <c>lora_B.weight</c> (out, r) of a targeted projection of
/// one of the base's layers, in F32, F16 or BF16, and every targeted projection must have both. Every problem names the
/// file and the field or tensor (<c>adapter_config.json.r</c>, <c>adapter_model.safetensors[…]</c>).
/// </summary>
public static class PeftAdapterCheck
{
    public const string ConfigFile = "adapter_config.json";
    public const string WeightsFile = "adapter_model.safetensors";
    public const string AllLinear = "all-linear";
    private const string KeyPrefix = "base_model.model.";
    private const string LoraA = ".lora_A.weight";
    private const string LoraB = ".lora_B.weight";

    /// <summary>Keys of PEFT's LoraConfig whose feature the lab does not evaluate: each must be absent, null, empty or false.</summary>
    private static readonly string[] Unsupported =
        ["modules_to_save", "rank_pattern", "alpha_pattern", "layers_to_transform", "layers_pattern", "use_dora", "exclude_modules",
         "target_parameters", "layer_replication", "trainable_token_indices", "lora_bias", "use_qalora"];

    /// <summary>Whether a folder's files are an adapter's (its config names it), rather than a model folder's.</summary>
    public static bool IsAdapter(IEnumerable<string> files) => files.Contains(ConfigFile, StringComparer.Ordinal);

    /// <summary>The adapter's summary on a base of <paramref name="baseShape"/>, or every problem found (the summary then null).</summary>
    public static (PeftAdapterSummary? Summary, IReadOnlyList<ModelFileProblem> Problems) Check(
        IReadOnlyDictionary<string, ModelFileHead> files, ModelShape baseShape, string baseName, SafetensorsLimits? limits = null)
    {
        limits ??= SafetensorsLimits.Default;
        var problems = new List<ModelFileProblem>();
        var extra = files.Keys.Where(f => f is not ConfigFile and not WeightsFile).Order(StringComparer.Ordinal).ToList();
        if (extra.Count > 0)
            problems.Add(new(extra[0], $"an adapter folder holds only {ConfigFile} and {WeightsFile}; {string.Join(", ", extra)} belong to a model folder"));
        if (!files.TryGetValue(ConfigFile, out var configFile)) problems.Add(new(ConfigFile, "missing"));
        if (!files.TryGetValue(WeightsFile, out var weightsFile)) problems.Add(new(WeightsFile, $"missing: an adapter folder holds {ConfigFile} and {WeightsFile}"));
        if (configFile is null || weightsFile is null) return (null, problems);

        var config = ReadConfig(configFile.Head, baseShape, baseName, limits, problems);
        var (tensors, _) = SafetensorsHeader.Read(weightsFile.Head.Span, weightsFile.Length, WeightsFile, limits, problems);
        if (config is null || problems.Count > 0) return (null, problems);
        if (tensors.Count == 0) return (null, [new(WeightsFile, "holds no tensors")]);

        var (rank, alpha, rsLora, modules) = config.Value;
        var targeted = Targeted(baseShape, modules);
        var layers = baseShape.IsGpt2 ? "transformer.h." : "model.layers.";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var dtypes = new SortedSet<string>(StringComparer.Ordinal);
        long parameters = 0;
        foreach (var t in tensors)
        {
            var where = $"{WeightsFile}[{SafetensorsHeader.Shorten(t.Name)}]";
            if (!SafetensorsHeader.WeightDtypes.Contains(t.Dtype))
            {
                problems.Add(new(where, $"is {t.Dtype}; adapter tensors are F32, F16 or BF16"));
                continue;
            }
            var name = t.Name.StartsWith(KeyPrefix, StringComparison.Ordinal) ? t.Name[KeyPrefix.Length..] : t.Name;
            var suffix = name.EndsWith(LoraA, StringComparison.Ordinal) ? LoraA : name.EndsWith(LoraB, StringComparison.Ordinal) ? LoraB : null;
            if (suffix is null)
            {
                problems.Add(new(where, $"not a LoRA tensor (PEFT's names end {LoraA} or {LoraB}; modules_to_save, bias or DoRA tensors are not evaluated)"));
                continue;
            }
            var module = name[..^suffix.Length];
            var dot = module.StartsWith(layers, StringComparison.Ordinal) ? module.IndexOf('.', layers.Length) : -1;
            if (dot < 0 || !int.TryParse(module.AsSpan(layers.Length, dot - layers.Length), System.Globalization.NumberStyles.None, null, out var layer))
            {
                problems.Add(new(where, $"names '{module}', which a {baseShape.ModelType} base does not have (its layers are {layers}N.…) — an adapter for another architecture than '{baseName}'"));
                continue;
            }
            var path = module[(dot + 1)..];
            if (layer >= baseShape.LayerCount)
            {
                problems.Add(new(where, $"names layer {layer}, but '{baseName}' has {baseShape.LayerCount} layers"));
                continue;
            }
            if (baseShape.Projections.FirstOrDefault(p => p.Path == path) is not { } projection)
            {
                problems.Add(new(where, $"'{path}' is not a projection of a {baseShape.ModelType} layer (its projections: {string.Join(", ", baseShape.Projections.Select(p => p.Path))})"));
                continue;
            }
            if (!targeted.Contains(path))
            {
                problems.Add(new(where, $"adapts {path}, which {ConfigFile}'s target_modules does not name"));
                continue;
            }
            long[] expected = suffix == LoraA ? [rank, projection.InFeatures] : [projection.OutFeatures, rank];
            if (!expected.SequenceEqual(t.Shape))
            {
                problems.Add(new(where, $"has shape {t.ShapeText}, but with r = {rank} on '{baseName}''s {path} ({projection.InFeatures} in, {projection.OutFeatures} out) it must be [{string.Join(", ", expected)}]"));
                continue;
            }
            seen.Add($"{module}{suffix}");
            dtypes.Add(t.Dtype);
            parameters += t.ElementCount;
        }
        if (problems.Count > 0) return (null, problems);

        // Every projection target_modules names, in every layer, has both halves: PEFT saves them all.
        foreach (var layer in Enumerable.Range(0, baseShape.LayerCount))
        foreach (var path in targeted)
        foreach (var suffix in new[] { LoraA, LoraB })
            if (!seen.Contains($"{layers}{layer}.{path}{suffix}"))
            {
                problems.Add(new(WeightsFile, $"has no {KeyPrefix}{layers}{layer}.{path}{suffix}, though target_modules adapts {path} in every layer: a partial adapter"));
                return (null, problems);
            }
        return (new PeftAdapterSummary("LORA", rank, alpha, rsLora, modules, seen.Count / 2, parameters, string.Join('+', dtypes)), []);
    }

    /// <summary>The same for a folder on disk (the worker checks what it downloaded): the config whole, the weights' header only.</summary>
    public static (PeftAdapterSummary? Summary, IReadOnlyList<ModelFileProblem> Problems) CheckDirectory(
        string directory, ModelShape baseShape, string baseName, SafetensorsLimits? limits = null)
    {
        limits ??= SafetensorsLimits.Default;
        var files = new Dictionary<string, ModelFileHead>(StringComparer.Ordinal);
        var config = Path.Combine(directory, ConfigFile);
        if (File.Exists(config))
        {
            var length = new FileInfo(config).Length;
            if (length > MaxConfigBytes) return (null, [new(ConfigFile, $"is {length} bytes, more than the {MaxConfigBytes} an adapter config may hold")]);
            files[ConfigFile] = new ModelFileHead(length, File.ReadAllBytes(config));
        }
        var weights = Path.Combine(directory, WeightsFile);
        if (File.Exists(weights))
        {
            var (head, length) = SafetensorsHeader.ReadHead(weights, limits);
            files[WeightsFile] = new ModelFileHead(length, head);
        }
        return Check(files, baseShape, baseName, limits);
    }

    /// <summary>The largest adapter_config.json read from disk (PEFT's are a few KiB).</summary>
    public const long MaxConfigBytes = 1 << 20;

    /// <summary>The base's projection paths that <paramref name="modules"/> adapts, by PEFT's rule.</summary>
    private static HashSet<string> Targeted(ModelShape baseShape, IReadOnlyList<string> modules) =>
        [.. baseShape.Projections.Select(p => p.Path).Where(path => modules.Contains(AllLinear) || modules.Any(m => Matches(path, m)))];

    /// <summary>PEFT's matching of a name in a list: the layer's path is the name, or ends with "." + it.</summary>
    private static bool Matches(string path, string module) => path == module || path.EndsWith("." + module, StringComparison.Ordinal);

    private static (int Rank, double Alpha, bool RsLora, IReadOnlyList<string> Modules)? ReadConfig(
        ReadOnlyMemory<byte> bytes, ModelShape baseShape, string baseName, SafetensorsLimits limits, List<ModelFileProblem> problems)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth });
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            problems.Add(new(ConfigFile, $"not valid JSON (line {(e.LineNumber ?? 0) + 1}): {e.Message}"));
            return null;
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(ConfigFile, $"must be a JSON object (PEFT's adapter config), got {root.ValueKind}"));
            return null;
        }
        var before = problems.Count;
        JsonElement? Get(string key) => root.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;
        void Problem(string key, string message) => problems.Add(new($"{ConfigFile}.{key}", message));

        var peftType = Get("peft_type");
        if (peftType is not { ValueKind: JsonValueKind.String } || peftType.Value.GetString() != "LORA")
        {
            Problem("peft_type", peftType is null
                ? "missing: PEFT's adapter_config.json names its method (LORA)"
                : $"{SafetensorsHeader.Shorten(peftType.Value.GetRawText())} is not supported: the registry takes LORA adapters");
            return null;
        }
        if (Get("task_type") is { } task && (task.ValueKind != JsonValueKind.String || task.GetString() != "CAUSAL_LM"))
            Problem("task_type", $"{SafetensorsHeader.Shorten(task.GetRawText())}: only CAUSAL_LM adapters are evaluated (a causal language model's suites)");

        var rank = 0;
        if (Get("r") is not { ValueKind: JsonValueKind.Number } r || !r.TryGetInt32(out rank) || rank < 1)
            Problem("r", Get("r") is null ? "missing: the adapter's rank (PEFT's save_pretrained writes it)" : $"must be a positive integer, got {SafetensorsHeader.Shorten(Get("r")!.Value.GetRawText())}");
        var alpha = 0.0;
        if (Get("lora_alpha") is not { ValueKind: JsonValueKind.Number } a || !a.TryGetDouble(out alpha) || !double.IsFinite(alpha))
            Problem("lora_alpha", Get("lora_alpha") is null ? "missing: the adapter's alpha (PEFT's save_pretrained writes it)" : $"must be a number, got {SafetensorsHeader.Shorten(Get("lora_alpha")!.Value.GetRawText())}");
        var rsLora = Flag("use_rslora");
        // Absent, it is PEFT's default (false), which PEFT itself corrects on a Conv1D base: only a flag written contradicts the base.
        if (Flag("fan_in_fan_out") is { } layout && layout != baseShape.IsGpt2)
            Problem("fan_in_fan_out", $"{(layout ? "true is GPT-2's Conv1D layout" : "false is a Linear layout")}, but '{baseName}' is {baseShape.ModelType}: an adapter saved for another architecture");
        if (Get("bias") is { } bias && (bias.ValueKind != JsonValueKind.String || bias.GetString() != "none"))
            Problem("bias", $"{SafetensorsHeader.Shorten(bias.GetRawText())}: only \"none\" is supported (trained biases are not evaluated)");
        foreach (var key in Unsupported)
            if (Get(key) is { } v && v.ValueKind is not JsonValueKind.False && !(v.ValueKind is JsonValueKind.Array or JsonValueKind.Object && !IsNonEmpty(v)))
                Problem(key, $"{SafetensorsHeader.Shorten(v.GetRawText())} is not supported: leave it null (the lab evaluates plain LoRA on the target modules)");
        if (Get("lora_dropout") is { } dropout && (dropout.ValueKind != JsonValueKind.Number || dropout.GetDouble() is < 0 or >= 1))
            Problem("lora_dropout", $"must be a number in [0, 1), got {SafetensorsHeader.Shorten(dropout.GetRawText())}");

        var modules = new List<string>();
        switch (Get("target_modules"))
        {
            case null:
                Problem("target_modules", "missing: the modules the adapter adapts");
                break;
            case { ValueKind: JsonValueKind.String } one when one.GetString() == AllLinear:
                modules.Add(AllLinear);
                break;
            case { ValueKind: JsonValueKind.String } regex:
                Problem("target_modules", $"{SafetensorsHeader.Shorten(regex.GetRawText())}: a regular expression is not supported; list the module names (or all-linear)");
                break;
            case { ValueKind: JsonValueKind.Array } list:
                foreach (var (m, i) in list.EnumerateArray().Select((m, i) => (m, i)))
                {
                    if (m.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(m.GetString()))
                        Problem($"target_modules[{i}]", $"must be a module name, got {SafetensorsHeader.Shorten(m.GetRawText())}");
                    else if (m.GetString() != AllLinear && !baseShape.Projections.Any(p => Matches(p.Path, m.GetString()!)))
                        Problem($"target_modules[{i}]", $"'{m.GetString()}' matches no layer of '{baseName}' ({baseShape.ModelType}: {string.Join(", ", baseShape.Projections.Select(p => p.Path))})");
                    else modules.Add(m.GetString()!);
                }
                if (list.GetArrayLength() == 0) Problem("target_modules", "is empty: name the modules the adapter adapts");
                break;
            case { } other:
                Problem("target_modules", $"must be a list of module names, got {other.ValueKind}");
                break;
        }
        return problems.Count > before ? null : (rank, alpha, rsLora ?? false, modules);

        bool? Flag(string key)
        {
            if (Get(key) is not { } v) return null;
            if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
            Problem(key, $"must be true or false, got {SafetensorsHeader.Shorten(v.GetRawText())}");
            return null;
        }
    }

    private static bool IsNonEmpty(JsonElement v) => v.ValueKind == JsonValueKind.Array ? v.GetArrayLength() > 0 : v.EnumerateObject().Any();
}
