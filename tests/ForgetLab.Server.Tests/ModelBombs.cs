using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ForgetLab.Server.Tests;

/// <summary>
/// The zip bomb of the hostile-input finding: a model folder whose model.safetensors (a good header,
/// then zeros) expands to 2.5 GiB from a 2.6 MB zip. Built once, streaming, in about a second. Three
/// kinds: its zip headers honest about the size; lying (they claim 8 KiB, so only the bytes
/// inflated tell); and one whose safetensors header itself accounts for 900 MiB of zeros, so only the
/// expansion ratio, counted while inflating, stops it.
/// </summary>
internal static class ModelBombs
{
    public const long ExpandedBytes = 2560L << 20;

    public static readonly string[] Kinds = ["honest", "lying", "ratio"];

    private static readonly Dictionary<string, Lazy<byte[]>> Built = Kinds.ToDictionary(k => k, k => new Lazy<byte[]>(() => Build(k)));

    public static byte[] Zip(string kind) => Built[kind].Value;

    /// <summary>How far model.safetensors expands in the bomb of this kind.</summary>
    public static long Expands(string kind) => kind == "ratio" ? RatioBytes : ExpandedBytes;

    private const long RatioBytes = 900L << 20;

    private static byte[] Build(string kind)
    {
        var lieAboutSize = kind == "lying";
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, byte[] bytes)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(bytes);
            }
            Add("config.json", Encoding.UTF8.GetBytes(ModelFolders.Config()));
            using (var weights = zip.CreateEntry("model.safetensors", CompressionLevel.Optimal).Open())
            {
                var header = kind == "ratio"
                    ? HeaderOnly($$$"""{"h.0.attn.c_attn.weight":{"dtype":"U8","shape":[{{{RatioBytes}}}],"data_offsets":[0,{{{RatioBytes}}}]}}""")
                    : ModelFolders.Safetensors();
                weights.Write(header);
                var zeros = new byte[1 << 20];
                var length = Expands(kind) + (kind == "ratio" ? header.Length : 0);
                for (long written = header.Length; written < length; written += zeros.Length)
                    weights.Write(zeros.AsSpan(0, (int)Math.Min(zeros.Length, length - written)));
            }
            Add("vocab.json", Encoding.UTF8.GetBytes(ModelFolders.VocabJson()));
        }
        var bytes = buffer.ToArray();
        if (lieAboutSize) ClaimSize(bytes, "model.safetensors", 8192); // more than the good header and tensors, far less than the bomb
        return bytes;
    }

    private static byte[] HeaderOnly(string json)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var file = new byte[8 + header.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        return file;
    }

    /// <summary>Rewrites the uncompressed size an entry's local header and central-directory record claim.</summary>
    private static void ClaimSize(byte[] zip, string name, uint size)
    {
        var nameBytes = Encoding.ASCII.GetBytes(name);
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            if (signature == 0x04034b50 && zip.AsSpan(i + 30, nameBytes.Length).SequenceEqual(nameBytes))
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 22), size);
            else if (signature == 0x02014b50 && zip.AsSpan(i + 46, nameBytes.Length).SequenceEqual(nameBytes))
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 24), size);
        }
    }
}
