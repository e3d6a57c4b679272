using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model.Weights;

/// <summary>
/// The safetensors format, read and written here rather than through a library: an 8-byte
/// little-endian header length, a UTF-8 JSON header (name → dtype, shape, data_offsets; an optional
/// <c>__metadata__</c>), then the tensors' bytes. The length counts UTF-8 bytes, so non-ASCII names
/// round-trip (a writer that counts characters corrupts them). F32, F16 and BF16 tensors are read into
/// float32; every inconsistency is an <see cref="InvalidDataException"/> naming the file and the tensor.
/// </summary>
public static class SafetensorsFile
{
    private const long MaxHeaderBytes = 100L << 20;

    private static readonly Dictionary<string, int> ElementBytes = new(StringComparer.Ordinal) { ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2 };

    /// <summary>The header's tensors, in file order, and where the data section starts.</summary>
    public static (IReadOnlyList<SafetensorsEntry> Entries, long DataStart) ReadHeader(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.Read(lengthBytes) != 8) throw new InvalidDataException($"{path}: shorter than a safetensors header");
        var length = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (length > (ulong)Math.Min(MaxHeaderBytes, stream.Length - 8))
            throw new InvalidDataException($"{path}: its header claims {length} bytes, more than the file holds: not a safetensors file");
        var header = new byte[length];
        stream.ReadExactly(header);
        var dataStart = 8 + (long)length;
        var dataLength = stream.Length - dataStart;

        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(header);
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the header is not valid JSON ({e.Message})", e);
        }
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: the header is not a JSON object");

        var entries = new List<SafetensorsEntry>();
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name == "__metadata__") continue;
            var entry = ReadEntry(path, property);
            if (!ElementBytes.TryGetValue(entry.Dtype, out var size))
                throw new InvalidDataException($"{path}: tensor '{entry.Name}' has dtype {entry.Dtype}; supported are F32, F16 and BF16");
            if (entry.Begin < 0 || entry.End < entry.Begin || entry.End > dataLength)
                throw new InvalidDataException($"{path}: tensor '{entry.Name}' lies at bytes {entry.Begin}..{entry.End}, outside the {dataLength} bytes of data");
            if (entry.End - entry.Begin != entry.ElementCount * size)
                throw new InvalidDataException($"{path}: tensor '{entry.Name}' ({entry.Dtype} {entry.ShapeText}) needs {entry.ElementCount * size} bytes but spans {entry.End - entry.Begin}");
            entries.Add(entry);
        }
        return (entries, dataStart);
    }

    /// <summary>One tensor's values as a float32 CPU tensor of its shape.</summary>
    public static Tensor ReadFloat32(string path, SafetensorsEntry entry, long dataStart)
    {
        var bytes = new byte[entry.End - entry.Begin];
        using (var stream = File.OpenRead(path))
        {
            stream.Seek(dataStart + entry.Begin, SeekOrigin.Begin);
            stream.ReadExactly(bytes);
        }
        var values = new float[entry.ElementCount];
        switch (entry.Dtype)
        {
            case "F32":
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values);
                break;
            case "BF16":
                var bf = MemoryMarshal.Cast<byte, ushort>(bytes);
                for (var i = 0; i < values.Length; i++) values[i] = BitConverter.Int32BitsToSingle(bf[i] << 16);
                break;
            case "F16":
                var half = MemoryMarshal.Cast<byte, Half>(bytes);
                for (var i = 0; i < values.Length; i++) values[i] = (float)half[i];
                break;
        }
        return tensor(values, entry.Shape);
    }

    /// <summary>
    /// Writes float32 tensors in the order given, with a header whose length counts UTF-8 bytes. For ASCII
    /// names the file is byte for byte what TorchSharp.PyBridge wrote (state-dict order, no padding), so
    /// a model folder saved before keeps its content hash.
    /// </summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        var ordered = tensors.ToList();
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        long offset = 0;
        var data = new List<float[]>(ordered.Count);
        foreach (var (name, t) in ordered)
        {
            if (t.dtype != ScalarType.Float32) throw new ArgumentException($"tensor '{name}' is {t.dtype}; model files are written in float32");
            var values = t.detach().cpu().contiguous().data<float>().ToArray();
            header[name] = new { dtype = "F32", shape = t.shape, data_offsets = new[] { offset, offset + values.Length * 4L } };
            offset += values.Length * 4L;
            data.Add(values);
        }
        // Names as raw UTF-8 (as the Rust safetensors writes them), not \u escapes: the length must count bytes.
        var json = JsonSerializer.SerializeToUtf8Bytes(header, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        using var stream = File.Create(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(lengthBytes, (ulong)json.Length);
        stream.Write(lengthBytes);
        stream.Write(json);
        foreach (var values in data) stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static SafetensorsEntry ReadEntry(string path, JsonProperty property)
    {
        var name = property.Name;
        var v = property.Value;
        InvalidDataException Bad(string what) => new($"{path}: tensor '{name}': {what}");
        if (v.ValueKind != JsonValueKind.Object) throw Bad("its header entry is not an object");
        if (!v.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String) throw Bad("no dtype");
        if (!v.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || shape.EnumerateArray().Any(d => d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var n) || n < 0))
            throw Bad("no shape of non-negative integers");
        if (!v.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2
            || offsets.EnumerateArray().Any(d => d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out _)))
            throw Bad("no data_offsets [begin, end]");
        return new SafetensorsEntry(name, dtype.GetString()!, shape.EnumerateArray().Select(d => d.GetInt64()).ToArray(),
            offsets[0].GetInt64(), offsets[1].GetInt64());
    }
}
