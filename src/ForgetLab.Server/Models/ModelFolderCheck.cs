using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text.Json;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Models;
using ForgetLab.Core.Models;

namespace ForgetLab.Server.Models;

/// <summary>
/// Checks a model folder before it is registered, without loading it: <c>config.json</c> must be a
/// GPT-2 config the lab reads, <c>model.safetensors</c> a well-formed safetensors file whose token
/// embedding matches the config, and <c>vocab.json</c> the word vocabulary the lab's tokenizer
/// loads. Every problem is named with the file (and field) it is in. The safetensors header is
/// checked as the safetensors library validates it (header of at most 100 MB, tensors contiguous,
/// each one's bytes exactly its shape times its dtype's size), with checked arithmetic, so no shape
/// can overflow into a small number.
/// </summary>
public static class ModelFolderCheck
{
    public const string ConfigFile = ModelFiles.ConfigFile;
    public const string WeightsFile = ModelFiles.WeightsFile;
    public const string VocabFile = ModelFiles.VocabFile;

    /// <summary>The files a registered model consists of, in the order they are stored (the vocabulary last).</summary>
    public static readonly ImmutableArray<string> Files = [.. ModelFiles.All];

    /// <summary>At most this many problems are listed per file: enough to fix it, not a megabyte of them.</summary>
    public const int MaxErrorsPerFile = 20;

    private static readonly string[] ConfigInts = ["vocab_size", "n_positions", "n_embd", "n_layer", "n_head"];

    /// <summary>The optional numbers the lab's GptConfig reads: a string there would fail the job, so it fails the upload.</summary>
    private static readonly string[] ConfigNumbers = ["resid_pdrop", "layer_norm_epsilon", "initializer_range"];

    private static readonly Dictionary<string, int> DtypeBytes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <summary>Whole files in memory (an experiment's base, tests): the same check.</summary>
    public static (ModelArchitecture? Architecture, ImmutableArray<ModelFile> Files, ImmutableArray<FieldError> Errors) Check(IReadOnlyDictionary<string, byte[]> files) =>
        Check(files.ToDictionary(f => f.Key, f => ModelFileContent.Whole(f.Key, f.Value)), UploadLimits.Default);

    /// <summary>The architecture and the files' hashes, or every problem found.</summary>
    public static (ModelArchitecture? Architecture, ImmutableArray<ModelFile> Files, ImmutableArray<FieldError> Errors) Check(
        IReadOnlyDictionary<string, ModelFileContent> files, UploadLimits limits)
    {
        var errors = ImmutableArray.CreateBuilder<FieldError>();
        foreach (var name in Files.Where(n => !files.ContainsKey(n)))
            errors.Add(new FieldError(0, name, $"missing: a model folder needs {string.Join(", ", Files)} (found {(files.Count == 0 ? "no files" : string.Join(", ", files.Keys.Order()))})"));

        var config = files.TryGetValue(ConfigFile, out var configFile) ? ReadConfig(configFile.Head, limits, errors) : null;
        long parameters = 0;
        if (files.TryGetValue(WeightsFile, out var weights)) parameters = ReadWeights(weights.Head.Span, weights.Length, config, limits, errors).Parameters;
        if (files.TryGetValue(VocabFile, out var vocab)) ReadVocab(vocab.Head, config, limits, errors);

        if (errors.Count > 0 || config is null) return (null, [], errors.ToImmutable());
        var architecture = new ModelArchitecture("gpt2", config["vocab_size"], config["n_positions"], config["n_embd"], config["n_layer"], config["n_head"], parameters);
        var hashed = Files.Select(n => new ModelFile(n, files[n].Length, files[n].Sha256)).ToImmutableArray();
        return (architecture, hashed, []);
    }

    /// <summary>
    /// The safetensors header on its own, as soon as it has streamed in: the problems it has, and the
    /// file's length it implies (8 + header + the tensors' bytes), beyond which the file cannot go.
    /// </summary>
    public static (long? ExpectedLength, ImmutableArray<FieldError> Errors) CheckWeightsHeader(ReadOnlySpan<byte> head, UploadLimits limits)
    {
        var errors = ImmutableArray.CreateBuilder<FieldError>();
        var (_, dataBytes) = ReadWeights(head, fileLength: null, config: null, limits, errors);
        return errors.Count > 0 ? (null, errors.ToImmutable()) : (8 + (long)BinaryPrimitives.ReadUInt64LittleEndian(head) + dataBytes, []);
    }

    /// <summary>The header length a safetensors file's first 8 bytes claim.</summary>
    public static ulong ClaimedHeaderLength(ReadOnlySpan<byte> first8) => BinaryPrimitives.ReadUInt64LittleEndian(first8);

    private static JsonDocumentOptions JsonOptions(UploadLimits limits) => new() { MaxDepth = limits.MaxJsonDepth };

    private static Dictionary<string, int>? ReadConfig(ReadOnlyMemory<byte> bytes, UploadLimits limits, ImmutableArray<FieldError>.Builder errors)
    {
        using var document = Parse(bytes, ConfigFile, "not valid JSON", limits, errors);
        if (document is null) return null;
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(0, ConfigFile, $"must be a JSON object, got {Kind(root)}"));
            return null;
        }

        var before = errors.Count;
        if (root.TryGetProperty("model_type", out var type))
        {
            if (type.ValueKind != JsonValueKind.String)
                errors.Add(new FieldError(0, $"{ConfigFile}.model_type", $"must be a string (expected \"gpt2\"), got {Kind(type)}"));
            else if (type.GetString() != "gpt2")
                errors.Add(new FieldError(0, $"{ConfigFile}.model_type", $"'{Shorten(type.GetString()!)}' is not a model the lab loads (expected gpt2)"));
        }
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in ConfigInts)
        {
            if (!root.TryGetProperty(key, out var value))
                errors.Add(new FieldError(0, $"{ConfigFile}.{key}", "required field is missing"));
            else if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var n) || n < 1)
                errors.Add(new FieldError(0, $"{ConfigFile}.{key}", $"must be a positive integer, got {(value.ValueKind == JsonValueKind.Number ? Shorten(value.GetRawText()) : Kind(value))}"));
            else
                values[key] = n;
        }
        foreach (var key in ConfigNumbers)
        {
            if (root.TryGetProperty(key, out var value) && (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var x) || !double.IsFinite(x)))
                errors.Add(new FieldError(0, $"{ConfigFile}.{key}", $"must be a number, got {(value.ValueKind == JsonValueKind.Number ? Shorten(value.GetRawText()) : Kind(value))}"));
        }
        if (values.TryGetValue("n_embd", out var embd) && values.TryGetValue("n_head", out var heads) && embd % heads != 0)
            errors.Add(new FieldError(0, $"{ConfigFile}.n_embd", $"must be divisible by n_head ({heads}), got {embd}"));
        return errors.Count > before ? null : values;
    }

    /// <summary>The safetensors layout: an 8-byte little-endian header length, a JSON header, then the tensors' bytes.</summary>
    private static (long Parameters, long DataBytes) ReadWeights(
        ReadOnlySpan<byte> head, long? fileLength, Dictionary<string, int>? config, UploadLimits limits, ImmutableArray<FieldError>.Builder errors)
    {
        if ((fileLength ?? head.Length) < 8 || head.Length < 8)
        {
            errors.Add(new FieldError(0, WeightsFile, $"is {fileLength ?? head.Length} bytes: too short for a safetensors file"));
            return (0, 0);
        }
        var headerLength = ClaimedHeaderLength(head);
        if (headerLength > (ulong)limits.MaxSafetensorsHeaderBytes)
        {
            errors.Add(new FieldError(0, WeightsFile, $"its header claims {headerLength} bytes, more than the {limits.MaxSafetensorsHeaderBytes} safetensors allows: not a safetensors file"));
            return (0, 0);
        }
        if (fileLength is { } length && headerLength > (ulong)(length - 8))
        {
            errors.Add(new FieldError(0, WeightsFile, $"its header claims {headerLength} bytes but the file has {length - 8} after the length: not a safetensors file, or cut short"));
            return (0, 0);
        }
        if ((ulong)(head.Length - 8) < headerLength)
        {
            errors.Add(new FieldError(0, WeightsFile, $"its header claims {headerLength} bytes but the file ends after {head.Length - 8}: cut short"));
            return (0, 0);
        }

        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(head.Slice(8, (int)headerLength).ToArray(), JsonOptions(limits));
        }
        catch (JsonException e)
        {
            errors.Add(new FieldError(0, WeightsFile, $"its header is not valid JSON: {JsonProblem(e, limits)}"));
            return (0, 0);
        }
        using var _ = header;
        if (header.RootElement.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(0, WeightsFile, $"its header must be a JSON object of tensor name → {{dtype, shape, data_offsets}}, got {Kind(header.RootElement)}"));
            return (0, 0);
        }

        var dataLength = fileLength is { } l ? l - 8 - (long)headerLength : (long?)null;
        var before = errors.Count;
        void Add(string where, string message)
        {
            if (errors.Count - before < MaxErrorsPerFile) errors.Add(new FieldError(0, where, message));
        }

        long parameters = 0;
        var spans = new List<(long Begin, long End, string Where)>();
        foreach (var tensor in header.RootElement.EnumerateObject())
        {
            var where = $"{WeightsFile}[{Shorten(tensor.Name)}]";
            if (tensor.Name == "__metadata__")
            {
                if (tensor.Value.ValueKind != JsonValueKind.Object || tensor.Value.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
                    Add(where, "must be a JSON object of string → string");
                continue;
            }
            if (tensor.Value.ValueKind != JsonValueKind.Object)
            {
                Add(where, $"must be an object with dtype, shape and data_offsets, got {Kind(tensor.Value)}");
                continue;
            }
            if (!tensor.Value.TryGetProperty("dtype", out var dtypeValue) || dtypeValue.ValueKind != JsonValueKind.String)
            {
                Add(where, "dtype: required, a string such as \"F32\"");
                continue;
            }
            if (!DtypeBytes.TryGetValue(dtypeValue.GetString()!, out var size))
            {
                Add(where, $"dtype: unknown dtype '{Shorten(dtypeValue.GetString()!)}' (expected one of {string.Join(", ", DtypeBytes.Keys)})");
                continue;
            }
            var dtype = dtypeValue.GetString()!;
            if (Integers(tensor.Value, "shape") is not { } shape)
            {
                Add(where, "shape: required, a list of non-negative integers");
                continue;
            }
            if (Integers(tensor.Value, "data_offsets") is not { Length: 2 } offsets)
            {
                Add(where, "data_offsets: required, [begin, end] as non-negative integers");
                continue;
            }

            // Checked arithmetic: [4294967296, 4294967296] must not wrap to a small count.
            long count = 1, bytes;
            try
            {
                foreach (var d in shape) count = checked(count * d);
                bytes = checked(count * size);
            }
            catch (OverflowException)
            {
                Add(where, $"shape: [{string.Join(", ", shape)}] of {dtype} holds more bytes than any file can");
                continue;
            }
            if (offsets[1] < offsets[0])
                Add(where, $"data_offsets: [{offsets[0]}, {offsets[1]}] ends before it begins");
            else if (dataLength is { } data && offsets[1] > data)
                Add(where, $"data_offsets [{offsets[0]}, {offsets[1]}] lie outside the file's {data} data bytes");
            else if (offsets[1] - offsets[0] != bytes)
                Add(where, $"data_offsets: holds {offsets[1] - offsets[0]} bytes but shape [{string.Join(", ", shape)}] of {dtype} needs {bytes}");
            else
                spans.Add((offsets[0], offsets[1], where));
            parameters = parameters > long.MaxValue - count ? long.MaxValue : parameters + count;
            if (config is not null && tensor.Name is "wte.weight" or "transformer.wte.weight"
                && !shape.SequenceEqual([config["vocab_size"], config["n_embd"]]))
                Add(where, $"has shape [{string.Join(", ", shape)}] but config.json says vocab_size {config["vocab_size"]} × n_embd {config["n_embd"]}");
        }
        if (spans.Count == 0 && errors.Count == before)
        {
            errors.Add(new FieldError(0, WeightsFile, "holds no tensors"));
            return (0, 0);
        }

        // As safetensors validates: sorted by offset, the tensors follow each other with no gap or overlap.
        long end = 0;
        foreach (var span in spans.OrderBy(s => s.Begin).ThenBy(s => s.End))
        {
            if (span.Begin != end)
                Add(span.Where, span.Begin < end
                    ? $"data_offsets: begins at {span.Begin}, inside the tensor before it (which ends at {end}): tensors must not overlap"
                    : $"data_offsets: begins at {span.Begin}, leaving a gap after the tensor before it (which ends at {end})");
            end = Math.Max(end, span.End);
        }
        if (errors.Count == before && dataLength is { } total && end != total)
            Add(WeightsFile, $"its tensors cover {end} of the {total} bytes after the header: the file has bytes no tensor accounts for");
        return (parameters, end);
    }

    private static void ReadVocab(ReadOnlyMemory<byte> bytes, Dictionary<string, int>? config, UploadLimits limits, ImmutableArray<FieldError>.Builder errors)
    {
        using var document = Parse(bytes, VocabFile, "must be a JSON object of token → id (the lab's word tokenizer)", limits, errors);
        if (document is null) return;
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(0, VocabFile, $"must be a JSON object of token → id (the lab's word tokenizer), got {Kind(document.RootElement)}"));
            return;
        }
        var count = 0;
        var bad = 0;
        foreach (var token in document.RootElement.EnumerateObject())
        {
            count++;
            if (token.Value.ValueKind == JsonValueKind.Number && token.Value.TryGetInt32(out var id) && id >= 0) continue;
            if (bad++ < MaxErrorsPerFile)
                errors.Add(new FieldError(0, $"{VocabFile}[{Shorten(token.Name)}]", $"must be a token id (a non-negative integer), got {Kind(token.Value)}"));
        }
        if (bad > 0) return;
        if (count == 0)
            errors.Add(new FieldError(0, VocabFile, "holds no tokens"));
        else if (config is not null && count > config["vocab_size"])
            errors.Add(new FieldError(0, VocabFile, $"holds {count} tokens, more than config.json's vocab_size {config["vocab_size"]}"));
    }

    private static JsonDocument? Parse(ReadOnlyMemory<byte> bytes, string file, string what, UploadLimits limits, ImmutableArray<FieldError>.Builder errors)
    {
        try
        {
            return JsonDocument.Parse(bytes, JsonOptions(limits));
        }
        catch (JsonException e)
        {
            errors.Add(new FieldError(0, file, $"{what}: {JsonProblem(e, limits)}"));
            return null;
        }
    }

    /// <summary>Non-negative integers, or null when the field is missing or anything else.</summary>
    private static long[]? Integers(JsonElement tensor, string field)
    {
        if (!tensor.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.Array) return null;
        var result = new long[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var n) || n < 0) return null;
            result[i++] = n;
        }
        return result;
    }

    /// <summary>Where the JSON broke, without System.Text.Json's quote of the text it choked on.</summary>
    private static string JsonProblem(JsonException e, UploadLimits limits) =>
        e.Message.Contains("maximum configured depth", StringComparison.Ordinal)
            ? $"nested deeper than the {limits.MaxJsonDepth} levels allowed"
            : $"malformed at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}";

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>A name from the upload, short and printable, for a message about it.</summary>
    internal static string Shorten(string text)
    {
        var printable = new string([.. text.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 64 ? printable + "…" : printable;
    }
}
