using System.Buffers.Binary;
using System.Text.Json;

namespace ForgetLab.Core.Models;

/// <summary>
/// A safetensors file's header, read and checked without its tensors' bytes: an 8-byte little-endian
/// header length, a UTF-8 JSON object of name → {dtype, shape, data_offsets} (and an optional
/// <c>__metadata__</c> of strings). The checks are the safetensors library's: a header of at most
/// <see cref="SafetensorsLimits.MaxHeaderBytes"/>, each tensor's bytes exactly its shape times its
/// dtype's size (checked arithmetic, so no shape overflows into a small number), the tensors
/// contiguous with no gap or overlap, and together filling the file. The server checks uploads with
/// it as they stream in, the lab before it reads a tensor.
/// </summary>
public static class SafetensorsHeader
{
    /// <summary>The dtypes the format defines, with their element sizes.</summary>
    public static readonly IReadOnlyDictionary<string, int> DtypeBytes = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <summary>The dtypes the lab reads model weights in (into float32).</summary>
    public static readonly IReadOnlySet<string> WeightDtypes = new HashSet<string>(StringComparer.Ordinal) { "F32", "F16", "BF16" };

    /// <summary>At most this many problems are listed per file: enough to fix it, not a megabyte of them.</summary>
    public const int MaxProblemsPerFile = 20;

    /// <summary>The header length a safetensors file's first 8 bytes claim.</summary>
    public static ulong ClaimedLength(ReadOnlySpan<byte> first8) => BinaryPrimitives.ReadUInt64LittleEndian(first8);

    /// <summary>
    /// The header's tensors in file order and the bytes they span, from <paramref name="head"/> (the file's
    /// first 8 + header bytes, or more). <paramref name="fileLength"/> is the whole file's, when known; without
    /// it (an upload still streaming) the tensors are not checked against the file's end. Problems are
    /// added to <paramref name="problems"/>, each naming <paramref name="file"/> and the tensor.
    /// </summary>
    public static (IReadOnlyList<SafetensorsEntry> Entries, long DataBytes) Read(
        ReadOnlySpan<byte> head, long? fileLength, string file, SafetensorsLimits limits, List<ModelFileProblem> problems)
    {
        if ((fileLength ?? head.Length) < 8 || head.Length < 8)
        {
            problems.Add(new(file, $"is {fileLength ?? head.Length} bytes: too short for a safetensors file"));
            return ([], 0);
        }
        var headerLength = ClaimedLength(head);
        if (headerLength > (ulong)limits.MaxHeaderBytes)
        {
            problems.Add(new(file, $"its header claims {headerLength} bytes, more than the {limits.MaxHeaderBytes} safetensors allows: not a safetensors file"));
            return ([], 0);
        }
        if (fileLength is { } length && headerLength > (ulong)(length - 8))
        {
            problems.Add(new(file, $"its header claims {headerLength} bytes but the file has {length - 8} after the length: not a safetensors file, or cut short"));
            return ([], 0);
        }
        if ((ulong)(head.Length - 8) < headerLength)
        {
            problems.Add(new(file, $"its header claims {headerLength} bytes but the file ends after {head.Length - 8}: cut short"));
            return ([], 0);
        }

        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(head.Slice(8, (int)headerLength).ToArray(), new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth });
        }
        catch (JsonException e)
        {
            problems.Add(new(file, $"its header is not valid JSON: {JsonProblem(e, limits.MaxJsonDepth)}"));
            return ([], 0);
        }
        using var _ = header;
        if (header.RootElement.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(file, $"its header must be a JSON object of tensor name → {{dtype, shape, data_offsets}}, got {Kind(header.RootElement)}"));
            return ([], 0);
        }

        var dataLength = fileLength is { } l ? l - 8 - (long)headerLength : (long?)null;
        var before = problems.Count;
        void Add(string where, string message)
        {
            if (problems.Count - before < MaxProblemsPerFile) problems.Add(new(where, message));
        }

        var entries = new List<SafetensorsEntry>();
        foreach (var tensor in header.RootElement.EnumerateObject())
        {
            var where = $"{file}[{Shorten(tensor.Name)}]";
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
            var dtype = dtypeValue.GetString()!;
            if (!DtypeBytes.TryGetValue(dtype, out var size))
            {
                Add(where, $"dtype: unknown dtype '{Shorten(dtype)}' (expected one of {string.Join(", ", DtypeBytes.Keys)})");
                continue;
            }
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
                entries.Add(new SafetensorsEntry(tensor.Name, dtype, shape, offsets[0], offsets[1]));
        }
        if (entries.Count == 0 && problems.Count == before)
        {
            problems.Add(new(file, "holds no tensors"));
            return ([], 0);
        }

        // As safetensors validates: sorted by offset, the tensors follow each other with no gap or overlap.
        long end = 0;
        foreach (var entry in entries.OrderBy(s => s.Begin).ThenBy(s => s.End))
        {
            if (entry.Begin != end)
                Add($"{file}[{Shorten(entry.Name)}]", entry.Begin < end
                    ? $"data_offsets: begins at {entry.Begin}, inside the tensor before it (which ends at {end}): tensors must not overlap"
                    : $"data_offsets: begins at {entry.Begin}, leaving a gap after the tensor before it (which ends at {end})");
            end = Math.Max(end, entry.End);
        }
        if (problems.Count == before && dataLength is { } total && end != total)
            Add(file, $"its tensors cover {end} of the {total} bytes after the header: the file has bytes no tensor accounts for");
        return (entries, end);
    }

    /// <summary>A file's header read from disk (only the header's bytes are read); the first problem is an <see cref="InvalidDataException"/> naming the file.</summary>
    public static (IReadOnlyList<SafetensorsEntry> Entries, long DataStart) ReadFile(string path, SafetensorsLimits? limits = null)
    {
        limits ??= SafetensorsLimits.Default;
        var problems = new List<ModelFileProblem>();
        var (head, length) = ReadHead(path, limits);
        var (entries, _) = Read(head, length, path, limits, problems);
        if (problems.Count > 0) throw new InvalidDataException(problems[0].ToString());
        return (entries, 8 + (long)ClaimedLength(head));
    }

    /// <summary>The file's first 8 + header bytes (fewer when the claim is beyond the file or the limit: the check then says so) and its length.</summary>
    public static (byte[] Head, long Length) ReadHead(string path, SafetensorsLimits limits)
    {
        using var stream = File.OpenRead(path);
        var first = new byte[Math.Min(8, stream.Length)];
        stream.ReadExactly(first);
        if (first.Length < 8) return (first, stream.Length);
        var claimed = ClaimedLength(first);
        if (claimed > (ulong)limits.MaxHeaderBytes || claimed > (ulong)(stream.Length - 8)) return (first, stream.Length);
        var head = new byte[8 + (long)claimed];
        first.CopyTo(head, 0);
        stream.ReadExactly(head, 8, (int)claimed);
        return (head, stream.Length);
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
    internal static string JsonProblem(JsonException e, int maxDepth) =>
        e.Message.Contains("maximum configured depth", StringComparison.Ordinal)
            ? $"nested deeper than the {maxDepth} levels allowed"
            : $"malformed at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}";

    internal static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>A name from a file, short and printable, for a message about it.</summary>
    public static string Shorten(string text)
    {
        var printable = new string([.. text.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 64 ? printable + "…" : printable;
    }
}
