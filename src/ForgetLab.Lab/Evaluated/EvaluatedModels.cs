using System.Text.Json;
using ForgetLab.Core.Checkpoints;
using ForgetLab.Core.Models;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Peft;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Evaluated;

/// <summary>
/// Tells what an <c>evaluate</c> entry's folder is and whether it fits the base, reading only JSON files and
/// safetensors headers (no tensor), so every entry of a spec is checked before anything is evaluated; then puts
/// each one on the base to evaluate it. A model folder must have the base's config (the same architecture and
/// sizes: a fine-tune of this base); an adapter's tensors must each name a projection of the base with the shape
/// the adapter's rank gives it (PEFT's names: <c>base_model.model.transformer.h.0.attn.c_attn.lora_A.weight</c>),
/// and its <c>fan_in_fan_out</c> must be the base's layout (GPT-2's Conv1D: true; Linear layers: false). Every
/// refusal names the file and the field or tensor.
/// </summary>
public static class EvaluatedModels
{
    private const string PeftPrefix = "base_model.model.";
    private static readonly string[] LoraSuffixes = [".lora_A.weight", ".lora_B.weight"];
    private const string Ia3Suffix = ".ia3_l";
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The entry as a model to evaluate on <paramref name="baseConfig"/>'s base, or every reason it cannot be.</summary>
    public static (EvaluatedModel? Model, IReadOnlyList<string> Problems) Inspect(EvaluateEntry entry, string folder, IModelConfig baseConfig)
    {
        var problems = new List<string>();
        if (!Directory.Exists(folder)) return (null, [$"{folder}: no such folder"]);
        var checkpoint = File.Exists(Path.Combine(folder, CheckpointFolder.ManifestFile));
        if (checkpoint && CheckpointFolder.Verify(folder) is { } corrupt) problems.Add(corrupt);

        EvaluatedModel? model = null;
        if (File.Exists(Path.Combine(folder, PeftAdapterFiles.ConfigFile)))
            model = InspectAdapter(entry, folder, baseConfig, checkpoint, problems);
        else if (File.Exists(Path.Combine(folder, ModelFolder.ConfigFile)))
            model = InspectModelFolder(entry, folder, baseConfig, checkpoint, problems);
        else
            problems.Add($"{folder}: neither {ModelFolder.ConfigFile} (a model folder, or a full fine-tuning checkpoint) nor {PeftAdapterFiles.ConfigFile} " +
                $"(a PEFT adapter): not a model the lab can evaluate");
        return problems.Count > 0 ? (null, problems) : (model, []);
    }

    /// <summary>
    /// The model to evaluate: a model folder's own weights, or a copy of <paramref name="baseModel"/> (already in memory:
    /// the base is read from disk once however many adapters go on it) with the adapter applied and its tensors loaded.
    /// </summary>
    public static CausalLanguageModel Load(EvaluatedModel evaluated, CausalLanguageModel baseModel)
    {
        if (evaluated.Peft is not { } peft) return ModelFolder.Load(evaluated.Folder);
        var model = CopyOf(baseModel);
        try
        {
            peft.Apply(model);
            peft.LoadWeights(model, evaluated.Folder);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>A new model of the base's architecture holding the base's weights, copied in memory.</summary>
    internal static CausalLanguageModel CopyOf(CausalLanguageModel baseModel)
    {
        var copy = ModelArchitectures.Create(baseModel.Config);
        var weights = baseModel.BaseStateDict();
        using (no_grad())
            foreach (var (key, value) in copy.state_dict())
                value.copy_(weights[key]);
        return copy;
    }

    private static EvaluatedModel? InspectModelFolder(EvaluateEntry entry, string folder, IModelConfig baseConfig, bool checkpoint, List<string> problems)
    {
        var configPath = Path.Combine(folder, ModelFolder.ConfigFile);
        IModelConfig config;
        try
        {
            config = HfConfig.Read(configPath);
        }
        catch (ModelConfigException e)
        {
            problems.Add(e.Message);
            return null;
        }
        if (ConfigDifference(config, baseConfig) is { } difference)
        {
            problems.Add($"{configPath}: {difference}: not a fine-tune of this base (a model folder is evaluated with the base's tokenizer against the base's items)");
            return null;
        }
        // The weights as the registry checks them (headers only); the tokenizer is the base's, so the folder need not have one.
        var (_, folderProblems) = ModelFolderCheck.CheckDirectory(folder);
        problems.AddRange(folderProblems.Where(p => !IsTokenizerProblem(p)).Select(p => $"{Path.Combine(folder, p.Where)}: {p.Message}"));
        return new EvaluatedModel(entry, folder, EvaluatedKind.ModelFolder, "full", null, checkpoint);
    }

    private static bool IsTokenizerProblem(ModelFileProblem p) =>
        !p.Where.StartsWith(ModelFolder.ConfigFile, StringComparison.Ordinal) && !p.Where.Contains("safetensors", StringComparison.Ordinal);

    /// <summary>The first field where two configs disagree (after HfConfig read both: fields transformers adds, such as its version, do not count), or null.</summary>
    private static string? ConfigDifference(IModelConfig config, IModelConfig baseConfig)
    {
        if (config.ModelType != baseConfig.ModelType) return $"model_type is '{config.ModelType}' but the base is '{baseConfig.ModelType}'";
        var own = JsonSerializer.SerializeToElement(config, config.GetType());
        var other = JsonSerializer.SerializeToElement(baseConfig, baseConfig.GetType());
        foreach (var property in own.EnumerateObject())
        {
            var theirs = other.TryGetProperty(property.Name, out var value) ? value.GetRawText() : "absent";
            if (property.Value.GetRawText() != theirs) return $"{property.Name} is {property.Value.GetRawText()} but the base's is {theirs}";
        }
        return null;
    }

    private static EvaluatedModel? InspectAdapter(EvaluateEntry entry, string folder, IModelConfig baseConfig, bool checkpoint, List<string> problems)
    {
        var configPath = Path.Combine(folder, PeftAdapterFiles.ConfigFile);
        var weightsPath = Path.Combine(folder, PeftAdapterFiles.WeightsFile);
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(configPath));
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            problems.Add($"{configPath}: not valid JSON: {e.Message}");
            return null;
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{configPath}: expected a JSON object");
            return null;
        }
        if (!File.Exists(weightsPath))
        {
            problems.Add($"{weightsPath}: missing (an adapter folder holds {PeftAdapterFiles.ConfigFile} and {PeftAdapterFiles.WeightsFile})");
            return null;
        }

        string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var baseName = Text("base_model_name_or_path") is { } named ? $" (its base_model_name_or_path is '{named}')" : "";
        IReadOnlyList<SafetensorsEntry> tensors;
        try
        {
            tensors = SafetensorsHeader.ReadFile(weightsPath).Entries;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            problems.Add(e.Message.StartsWith(weightsPath, StringComparison.Ordinal) ? e.Message : $"{weightsPath}: {e.Message}");
            return null;
        }
        if (tensors.Count == 0)
        {
            problems.Add($"{weightsPath}: holds no tensors");
            return null;
        }

        var before = problems.Count;
        try
        {
            switch (Text("peft_type"))
            {
                case "LORA":
                {
                    var lora = LoraSettings.Read(folder);
                    CheckLayout(root, configPath, baseConfig, baseName, problems);
                    CheckPeftTensors(tensors, weightsPath, baseConfig, baseName, problems, (suffix, projection) => suffix == LoraSuffixes[0]
                        ? [[lora.Rank, projection.InFeatures]]
                        : [[projection.OutFeatures, lora.Rank]], LoraSuffixes);
                    return problems.Count > before ? null : new EvaluatedModel(entry, folder, EvaluatedKind.PeftAdapter, lora.Method, lora, checkpoint);
                }
                case "IA3":
                {
                    var ia3 = Ia3Settings.Read(folder);
                    CheckLayout(root, configPath, baseConfig, baseName, problems);
                    CheckPeftTensors(tensors, weightsPath, baseConfig, baseName, problems,
                        (_, projection) => [[projection.OutFeatures, 1], [1, projection.InFeatures]], [Ia3Suffix]);
                    return problems.Count > before ? null : new EvaluatedModel(entry, folder, EvaluatedKind.PeftAdapter, ia3.Method, ia3, checkpoint);
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException)
        {
            problems.Add($"{configPath}: {e.Message}");
            return null;
        }

        var method = Text("forgetlab_method");
        PeftSettings? settings;
        try
        {
            var given = root.TryGetProperty("settings", out var s) ? s : default;
            settings = method switch
            {
                "bitfit" => new BitFitSettings(),
                "freeze" => given.Deserialize<FreezeSettings>(SnakeCase),
                "adapter" => given.Deserialize<AdapterSettings>(SnakeCase),
                "prefix" => given.Deserialize<PrefixSettings>(SnakeCase),
                _ => null,
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            problems.Add($"{configPath}: settings: {e.Message}");
            return null;
        }
        if (settings is null)
        {
            problems.Add(method is null
                ? $"{configPath}: peft_type: '{Text("peft_type")}' is not an adapter the lab evaluates (LORA, IA3, or ForgetLab's forgetlab_method)"
                : $"{configPath}: forgetlab_method: '{method}' is not one of adapter, prefix, bitfit, freeze");
            return null;
        }
        if (settings is BitFitSettings or FreezeSettings)
        {
            // Their tensors are base weights under the base's own names: each must be one of the base's, with its shape.
            var expected = ModelTensors.Expected(baseConfig).ToDictionary(t => t.Name, t => t.Shape, StringComparer.Ordinal);
            foreach (var t in tensors)
                if (!expected.TryGetValue(t.Name, out var shape) || !shape.SequenceEqual(t.Shape))
                    problems.Add($"{weightsPath}[{t.Name}]: {t.ShapeText} is not a tensor of the base ({baseConfig.ModelType}){baseName}");
        }
        return problems.Count > before ? null : new EvaluatedModel(entry, folder, EvaluatedKind.ForgetLabAdapter, settings.Method, settings, checkpoint);
    }

    /// <summary>PEFT's <c>fan_in_fan_out</c> says how the adapted layers store their weights; it must be the base's layout.</summary>
    private static void CheckLayout(JsonElement root, string configPath, IModelConfig baseConfig, string baseName, List<string> problems)
    {
        var baseLayout = baseConfig is GptConfig; // GPT-2's Conv1D stores (in, out); the Llama family's Linear layers (out, in)
        if (root.TryGetProperty("fan_in_fan_out", out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False && v.GetBoolean() != baseLayout)
            problems.Add($"{configPath}: fan_in_fan_out: {(v.GetBoolean() ? "true is GPT-2's Conv1D layout" : "false is a Linear layout")}, " +
                $"but the base is {baseConfig.ModelType}{baseName}: an adapter for another architecture");
    }

    /// <summary>Every tensor must be a PEFT tensor (<paramref name="suffixes"/>) of a projection the base has, with one of the shapes <paramref name="shapes"/> gives.</summary>
    private static void CheckPeftTensors(
        IReadOnlyList<SafetensorsEntry> tensors, string weightsPath, IModelConfig baseConfig, string baseName, List<string> problems,
        Func<string, ModelProjection, long[][]> shapes, string[] suffixes)
    {
        var shape = ModelShape.Of(baseConfig);
        var layers = baseConfig is GptConfig ? "transformer.h." : "model.layers.";
        foreach (var t in tensors)
        {
            var where = $"{weightsPath}[{t.Name}]";
            var name = t.Name.StartsWith(PeftPrefix, StringComparison.Ordinal) ? t.Name[PeftPrefix.Length..] : t.Name;
            if (suffixes.FirstOrDefault(s => name.EndsWith(s, StringComparison.Ordinal)) is not { } suffix)
            {
                problems.Add($"{where}: not one of the adapter's tensors (names ending {string.Join(" or ", suffixes)})");
                continue;
            }
            var module = name[..^suffix.Length];
            var dot = module.StartsWith(layers, StringComparison.Ordinal) ? module.IndexOf('.', layers.Length) : -1;
            if (dot < 0 || !int.TryParse(module.AsSpan(layers.Length, dot - layers.Length), out var layer))
            {
                problems.Add($"{where}: names layer '{module}', which a {baseConfig.ModelType} base does not have (its layers are {layers}N.…){baseName}: an adapter for another architecture");
                continue;
            }
            var path = module[(dot + 1)..];
            if (layer >= shape.LayerCount)
            {
                problems.Add($"{where}: names layer {layer}, but the base has {shape.LayerCount} layers{baseName}");
                continue;
            }
            if (shape.Projections.FirstOrDefault(p => p.Path == path) is not { } projection)
            {
                problems.Add($"{where}: '{path}' is not a projection of a {baseConfig.ModelType} layer (its projections: {string.Join(", ", shape.Projections.Select(p => p.Path))}){baseName}");
                continue;
            }
            var allowed = shapes(suffix, projection);
            if (!allowed.Any(s => s.SequenceEqual(t.Shape)))
                problems.Add($"{where}: has shape {t.ShapeText}, but on this base's {path} ({projection.InFeatures} in, {projection.OutFeatures} out) it must be " +
                    $"{string.Join(" or ", allowed.Select(s => $"[{string.Join(", ", s)}]"))}{baseName}");
        }
    }
}
