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
    /// <summary>
    /// The header's tensors, in file order, and where the data section starts: checked by Core's
    /// <see cref="SafetensorsHeader"/> (the server's upload check), then for a dtype read here.
    /// </summary>
    public static (IReadOnlyList<SafetensorsEntry> Entries, long DataStart) ReadHeader(string path)
    {
        var (entries, dataStart) = SafetensorsHeader.ReadFile(path);
        if (entries.FirstOrDefault(e => !SafetensorsHeader.WeightDtypes.Contains(e.Dtype)) is { } other)
            throw new InvalidDataException($"{path}: tensor '{other.Name}' has dtype {other.Dtype}; supported are F32, F16 and BF16");
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
}
