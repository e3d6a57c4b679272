using System.Text.Json;
using ForgetLab.Core.Tokenizers;

namespace ForgetLab.Core.Models;

/// <summary>
/// Checks a Hugging Face model folder without loading a tensor, as the lab would refuse it at load
/// time: <c>config.json</c> read by <see cref="HfConfig"/> (gpt2, llama, mistral, qwen2, qwen3); the
/// weights as one <c>model.safetensors</c> or the shards <c>model.safetensors.index.json</c> names,
/// each header well formed (<see cref="SafetensorsHeader"/>), in F32, F16 or BF16, holding exactly the
/// tensors the config's architecture has with their shapes (<see cref="ModelTensors"/>); and a
/// tokenizer that fits the config's vocabulary: <c>tokenizer.json</c> or <c>tokenizer.model</c> with
/// <c>tokenizer_config.json</c> and <c>generation_config.json</c> (<see cref="PretrainedTokenizer"/>),
/// or ForgetLab's word <c>vocab.json</c>. Every problem names its file and field. The server checks
/// uploads with it, the CLI's <c>model info</c> and the worker check folders on disk.
/// </summary>
public static class ModelFolderCheck
{
    /// <summary>A GPT-2 config must give these: the lab's defaults for them are not GPT2Config's, so an absent one would be misread.</summary>
    private static readonly string[] Gpt2Required = ["vocab_size", "n_positions", "n_embd", "n_layer", "n_head"];

    /// <summary>The folder's summary, or every problem found (the summary then null).</summary>
    public static (ModelSummary? Summary, IReadOnlyList<ModelFileProblem> Problems) Check(
        IReadOnlyDictionary<string, ModelFileHead> files, SafetensorsLimits? limits = null)
    {
        limits ??= SafetensorsLimits.Default;
        var problems = new List<ModelFileProblem>();
        IModelConfig? config = null;
        if (!files.TryGetValue(ModelFiles.ConfigFile, out var configFile))
            problems.Add(new(ModelFiles.ConfigFile, $"missing: a model folder needs config.json (found {(files.Count == 0 ? "no files" : string.Join(", ", files.Keys.Order()))})"));
        else config = ReadConfig(configFile.Head, limits, problems);

        var (dtype, weightBytes) = CheckWeights(files, config, limits, problems);
        var tokenizer = CheckTokenizer(files, config, limits, problems);

        if (problems.Count > 0 || config is null || tokenizer is null) return (null, problems);
        var (heads, kvHeads) = config switch
        {
            GptConfig g => (g.NHead, g.NHead),
            LlamaConfig l => (l.NumAttentionHeads, l.NumKeyValueHeads),
            _ => (0, 0),
        };
        return (new ModelSummary(config.ModelType, ModelTensors.Parameters(config), dtype, weightBytes, config.VocabSize, config.MaxPositions,
            config.HiddenSize, config.LayerCount, heads, kvHeads, tokenizer, ModelShape.Of(config)), []);
    }

    /// <summary>The same for a folder on disk (its model files only; a safetensors file's header is all that is read of it).</summary>
    public static (ModelSummary? Summary, IReadOnlyList<ModelFileProblem> Problems) CheckDirectory(string directory, SafetensorsLimits? limits = null)
    {
        limits ??= SafetensorsLimits.Default;
        if (!Directory.Exists(directory)) return (null, [new(directory, "no such folder")]);
        var files = new Dictionary<string, ModelFileHead>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            if (!ModelFiles.IsModelFile(name)) continue;
            if (ModelFiles.IsSafetensors(name))
            {
                var (head, length) = SafetensorsHeader.ReadHead(path, limits);
                files[name] = new ModelFileHead(length, head);
            }
            else
            {
                var length = new FileInfo(path).Length;
                if (length > TokenizerLimits.Default.MaxFileBytes) return (null, [new(name, $"is {length} bytes, more than the {TokenizerLimits.Default.MaxFileBytes} a model folder's {name} may hold")]);
                files[name] = new ModelFileHead(length, File.ReadAllBytes(path));
            }
        }
        return Check(files, limits);
    }

    private static string HfConfigKinds => string.Join(", ", HfConfig.ModelTypes);

    private static IModelConfig? ReadConfig(ReadOnlyMemory<byte> bytes, SafetensorsLimits limits, List<ModelFileProblem> problems)
    {
        IModelConfig config;
        try
        {
            config = HfConfig.Parse(bytes, ModelFiles.ConfigFile, limits.MaxJsonDepth);
        }
        catch (ModelConfigException e)
        {
            problems.Add(new(e.Field.Length > 0 ? $"{ModelFiles.ConfigFile}.{e.Field}" : ModelFiles.ConfigFile, e.Problem));
            return null;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            problems.Add(new(ModelFiles.ConfigFile, $"cannot be read as a {HfConfigKinds} config: {e.Message}"));
            return null;
        }
        if (config is GptConfig)
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth });
            var before = problems.Count;
            foreach (var key in Gpt2Required.Where(k => !document.RootElement.TryGetProperty(k, out _)))
                problems.Add(new($"{ModelFiles.ConfigFile}.{key}", "required field is missing"));
            if (problems.Count > before) return null;
        }
        return config;
    }

    /// <summary>The weights' dtype on disk and their bytes; problems for the files, the index and every tensor.</summary>
    private static (string Dtype, long Bytes) CheckWeights(
        IReadOnlyDictionary<string, ModelFileHead> files, IModelConfig? config, SafetensorsLimits limits, List<ModelFileProblem> problems)
    {
        var single = files.ContainsKey(ModelFiles.WeightsFile);
        var indexed = files.TryGetValue(ModelFiles.WeightsIndexFile, out var indexFile);
        if (single && indexed)
        {
            problems.Add(new(ModelFiles.WeightsIndexFile, $"the folder holds both {ModelFiles.WeightsFile} and a sharded index: give one of them"));
            return ("", 0);
        }
        if (!single && !indexed)
        {
            problems.Add(new(ModelFiles.WeightsFile, $"missing: a model folder needs {ModelFiles.WeightsFile}, or {ModelFiles.WeightsIndexFile} and the shards it names"));
            return ("", 0);
        }

        Dictionary<string, string>? weightMap = null;
        IReadOnlyList<string> shards = [ModelFiles.WeightsFile];
        if (indexed)
        {
            weightMap = ReadIndex(indexFile!.Head, files, limits, problems);
            if (weightMap is null) return ("", 0);
            shards = [.. weightMap.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }
        foreach (var stray in files.Keys.Where(n => ModelFiles.IsSafetensors(n) && !shards.Contains(n)).Order(StringComparer.Ordinal))
            problems.Add(new(stray, indexed
                ? $"is not named by {ModelFiles.WeightsIndexFile}'s weight_map"
                : $"is a second weights file beside {ModelFiles.WeightsFile}: shard the weights with a {ModelFiles.WeightsIndexFile}, or leave it out"));

        var before = problems.Count;
        var found = new Dictionary<string, (string File, SafetensorsEntry Entry)>(StringComparer.Ordinal);
        var dtypes = new SortedSet<string>(StringComparer.Ordinal);
        long bytes = 0;
        foreach (var shard in shards)
        {
            if (!files.TryGetValue(shard, out var head)) continue; // the index's problem, already named
            var (entries, dataBytes) = SafetensorsHeader.Read(head.Head.Span, head.Length, shard, limits, problems);
            bytes += dataBytes;
            foreach (var entry in entries)
            {
                var where = $"{shard}[{SafetensorsHeader.Shorten(entry.Name)}]";
                if (!SafetensorsHeader.WeightDtypes.Contains(entry.Dtype))
                    Add(where, $"dtype: {entry.Dtype}; model weights are read in F32, F16 or BF16");
                dtypes.Add(entry.Dtype);
                if (weightMap is not null && (!weightMap.TryGetValue(entry.Name, out var mapped) || mapped != shard))
                    Add(where, $"is not where {ModelFiles.WeightsIndexFile}'s weight_map puts it ({(mapped is null ? "absent there" : mapped)})");
                else if (!found.TryAdd(entry.Name, (shard, entry)))
                    Add(where, $"is also in {found[entry.Name].File}");
            }
        }
        if (weightMap is not null)
            foreach (var (name, shard) in weightMap.Where(kv => files.ContainsKey(kv.Value) && !found.ContainsKey(kv.Key)))
                Add($"{ModelFiles.WeightsIndexFile}.weight_map[{SafetensorsHeader.Shorten(name)}]", $"names {shard}, which does not hold it");
        if (config is null || problems.Count > before) return (string.Join("+", dtypes), bytes);

        // Against the config: every tensor of the architecture, with its shape, and nothing else.
        var indexWhere = indexed ? ModelFiles.WeightsIndexFile : ModelFiles.WeightsFile;
        var byCanonical = found.ToDictionary(kv => ModelTensors.Canonical(kv.Key, config), kv => kv.Value, StringComparer.Ordinal);
        var expected = ModelTensors.Expected(config);
        foreach (var (name, shape) in expected)
        {
            if (!byCanonical.TryGetValue(name, out var held))
                Add(indexWhere, $"missing tensor '{name}' (shape [{string.Join(", ", shape)}] for this config.json)");
            else if (!held.Entry.Shape.SequenceEqual(shape))
                Add($"{held.File}[{SafetensorsHeader.Shorten(held.Entry.Name)}]",
                    $"has shape {held.Entry.ShapeText} but config.json ({Sizes(config)}) makes it [{string.Join(", ", shape)}]");
        }
        var known = expected.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, held) in byCanonical.Where(kv => !known.Contains(kv.Key) && !ModelTensors.Ignorable(kv.Key, config)))
            Add($"{held.File}[{SafetensorsHeader.Shorten(held.Entry.Name)}]", $"has no place in a {config.ModelType} model with this config.json");
        return (string.Join("+", dtypes), bytes);

        void Add(string where, string message)
        {
            if (problems.Count - before < SafetensorsHeader.MaxProblemsPerFile) problems.Add(new(where, message));
        }
    }

    /// <summary>The config's sizes a tensor's shape follows from, for a message about a wrong shape.</summary>
    private static string Sizes(IModelConfig config) => config switch
    {
        GptConfig g => $"vocab_size {g.VocabSize}, n_positions {g.NPositions}, n_embd {g.NEmbd}",
        LlamaConfig l => $"vocab_size {l.VocabSize}, hidden_size {l.HiddenSize}, intermediate_size {l.IntermediateSize}, " +
            $"{l.NumAttentionHeads} heads of {l.HeadDim}, {l.NumKeyValueHeads} key/value heads",
        _ => config.ModelType,
    };

    /// <summary>The index's weight_map (tensor → shard file), or null with the problems; a shard it names must be in the folder.</summary>
    private static Dictionary<string, string>? ReadIndex(
        ReadOnlyMemory<byte> bytes, IReadOnlyDictionary<string, ModelFileHead> files, SafetensorsLimits limits, List<ModelFileProblem> problems)
    {
        const string file = ModelFiles.WeightsIndexFile;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth });
        }
        catch (JsonException e)
        {
            problems.Add(new(file, $"not valid JSON: {SafetensorsHeader.JsonProblem(e, limits.MaxJsonDepth)}"));
            return null;
        }
        using var _ = document;
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new($"{file}.weight_map", "required: an object of tensor name → shard file"));
            return null;
        }
        var before = problems.Count;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in map.EnumerateObject())
        {
            var where = $"{file}.weight_map[{SafetensorsHeader.Shorten(entry.Name)}]";
            if (problems.Count - before >= SafetensorsHeader.MaxProblemsPerFile) break;
            if (entry.Value.ValueKind != JsonValueKind.String)
                problems.Add(new(where, $"must be a shard's file name, got {SafetensorsHeader.Kind(entry.Value)}"));
            else if (entry.Value.GetString() is not { } shard || shard.Contains('/') || shard.Contains('\\') || !ModelFiles.IsSafetensors(shard))
                problems.Add(new(where, $"'{SafetensorsHeader.Shorten(entry.Value.GetString()!)}' is not a .safetensors file in the folder"));
            else if (!files.ContainsKey(shard))
            {
                if (missing.Add(shard)) problems.Add(new(where, $"names {SafetensorsHeader.Shorten(shard)}, which is not in the folder"));
            }
            else result[entry.Name] = shard;
        }
        if (problems.Count == before && result.Count == 0) problems.Add(new($"{file}.weight_map", "names no tensors"));
        return problems.Count > before ? null : result;
    }

    /// <summary>The tokenizer's summary, checked against the config's vocab_size; null with the problems.</summary>
    private static ModelTokenizerSummary? CheckTokenizer(
        IReadOnlyDictionary<string, ModelFileHead> files, IModelConfig? config, SafetensorsLimits limits, List<ModelFileProblem> problems)
    {
        if (files.ContainsKey(HuggingFaceTokenizer.FileName) || files.ContainsKey(SentencePieceTokenizer.FileName))
        {
            PretrainedTokenizer tokenizer;
            try
            {
                tokenizer = PretrainedTokenizer.Load(name => files.TryGetValue(name, out var f) ? f.Head.ToArray() : null,
                    TokenizerLimits.Default with { MaxJsonDepth = limits.MaxJsonDepth });
            }
            catch (TokenizerFormatException e)
            {
                problems.Add(new(e.Field.Length > 0 ? $"{e.File}.{e.Field}" : e.File, e.Reason));
                return null;
            }
            catch (Exception e) when (e is FormatException or InvalidDataException or JsonException or ArgumentException or OverflowException
                or System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
                // The tokenizer's own checks name their field; anything past them still names the file, and is no 500.
                var file = files.ContainsKey(HuggingFaceTokenizer.FileName) ? HuggingFaceTokenizer.FileName : SentencePieceTokenizer.FileName;
                problems.Add(new(file, $"cannot be read: {e.Message}"));
                return null;
            }
            if (config is not null && tokenizer.CheckFits(config.VocabSize) is { } misfit)
            {
                var colon = misfit.IndexOf(": ", StringComparison.Ordinal);
                problems.Add(colon > 0 ? new(misfit[..colon], misfit[(colon + 2)..]) : new(tokenizer.TokenizerFile, misfit));
                return null;
            }
            return new ModelTokenizerSummary(TokenizerKind(tokenizer.TokenizerFile, files), tokenizer.TokenizerFile, tokenizer.VocabSize);
        }
        if (files.TryGetValue(ModelFiles.VocabFile, out var vocab)) return CheckWordVocab(vocab.Head, config, limits, problems);
        problems.Add(new(HuggingFaceTokenizer.FileName,
            $"missing: a model folder needs a tokenizer: {HuggingFaceTokenizer.FileName} or {SentencePieceTokenizer.FileName} (with tokenizer_config.json), or ForgetLab's word {ModelFiles.VocabFile}"));
        return null;
    }

    /// <summary>"sentencepiece", or tokenizer.json's <c>model.type</c> in lower case.</summary>
    private static string TokenizerKind(string file, IReadOnlyDictionary<string, ModelFileHead> files)
    {
        if (file == SentencePieceTokenizer.FileName) return "sentencepiece";
        var reader = new Utf8JsonReader(files[file].Head.Span, new JsonReaderOptions { MaxDepth = 64 });
        // model.type without building a document of a 10 MB file: the first "type" at depth 2 under "model".
        string? current = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1) current = reader.GetString();
            else if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 2 && current == "model" && reader.GetString() == "type"
                && reader.Read() && reader.TokenType == JsonTokenType.String)
                return reader.GetString()!.ToLowerInvariant();
        }
        return "tokenizer.json";
    }

    private static ModelTokenizerSummary? CheckWordVocab(ReadOnlyMemory<byte> bytes, IModelConfig? config, SafetensorsLimits limits, List<ModelFileProblem> problems)
    {
        const string file = ModelFiles.VocabFile;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth });
        }
        catch (JsonException e)
        {
            problems.Add(new(file, $"must be a JSON object of token → id (the lab's word tokenizer): {SafetensorsHeader.JsonProblem(e, limits.MaxJsonDepth)}"));
            return null;
        }
        using var _ = document;
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(file, $"must be a JSON object of token → id (the lab's word tokenizer), got {SafetensorsHeader.Kind(document.RootElement)}"));
            return null;
        }
        var count = 0;
        var bad = 0;
        foreach (var token in document.RootElement.EnumerateObject())
        {
            count++;
            if (token.Value.ValueKind == JsonValueKind.Number && token.Value.TryGetInt32(out var id) && id >= 0) continue;
            if (bad++ < SafetensorsHeader.MaxProblemsPerFile)
                problems.Add(new($"{file}[{SafetensorsHeader.Shorten(token.Name)}]", $"must be a token id (a non-negative integer), got {SafetensorsHeader.Kind(token.Value)}"));
        }
        if (bad > 0) return null;
        if (count == 0)
        {
            problems.Add(new(file, "holds no tokens"));
            return null;
        }
        if (config is not null && count > config.VocabSize)
        {
            problems.Add(new(file, $"holds {count} tokens, more than config.json's vocab_size {config.VocabSize}"));
            return null;
        }
        return new ModelTokenizerSummary("word", file, count);
    }
}
