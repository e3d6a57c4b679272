using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ForgetLab.Server.Tests;

/// <summary>
/// The zip bomb of the hostile-input finding: a model folder whose model.safetensors (a good header,
/// then zeros) expands to 2.5 GiB from a 2.6 MB zip. Built once, streaming, in about a second.
/// </summary>
internal static class ModelBombs
{
    public const long ExpandedBytes = 2560L << 20;

    private static readonly Lazy<byte[]> Honest = new(() => Build(lieAboutSize: false));
    private static readonly Lazy<byte[]> Lying = new(() => Build(lieAboutSize: true));

    /// <summary>The bomb; with <paramref name="lyingSizes"/> its zip headers claim model.safetensors is 600 bytes, so only the bytes inflated tell.</summary>
    public static byte[] Zip(bool lyingSizes) => lyingSizes ? Lying.Value : Honest.Value;

    private static byte[] Build(bool lieAboutSize)
    {
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
                var header = ModelFolders.Safetensors();
                weights.Write(header);
                var zeros = new byte[1 << 20];
                for (long written = header.Length; written < ExpandedBytes; written += zeros.Length)
                    weights.Write(zeros.AsSpan(0, (int)Math.Min(zeros.Length, ExpandedBytes - written)));
            }
            Add("vocab.json", Encoding.UTF8.GetBytes(ModelFolders.VocabJson()));
        }
        var bytes = buffer.ToArray();
        if (lieAboutSize) ClaimSize(bytes, "model.safetensors", 600);
        return bytes;
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
