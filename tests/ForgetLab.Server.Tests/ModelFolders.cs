using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace ForgetLab.Server.Tests;

/// <summary>
/// Model folders as zips, built by hand so each part can be broken on purpose: a GPT-2 config, a
/// safetensors file holding the token embedding (zeros), and a word vocabulary.
/// </summary>
internal static class ModelFolders
{
    public const int Vocab = 16;
    public const int Embd = 8;

    public static string Config(int vocab = Vocab, int embd = Embd, int heads = 2) =>
        $$"""{"model_type":"gpt2","vocab_size":{{vocab}},"n_positions":32,"n_embd":{{embd}},"n_layer":1,"n_head":{{heads}}}""";

    public static byte[] Safetensors(int rows = Vocab, int cols = Embd, int? claimedBytes = null)
    {
        var bytes = rows * cols * 4;
        var header = Encoding.UTF8.GetBytes($$$"""{"wte.weight":{"dtype":"F32","shape":[{{{rows}}},{{{cols}}}],"data_offsets":[0,{{{claimedBytes ?? bytes}}}]}}""");
        var file = new byte[8 + header.Length + bytes];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        return file;
    }

    public static string VocabJson(int tokens = Vocab) =>
        JsonSerializer.Serialize(Enumerable.Range(0, tokens).ToDictionary(i => $"w{i}", i => i));

    /// <summary>A zip of the given files (null content leaves the file out), under <paramref name="folder"/> when given.</summary>
    public static byte[] Zip(string? config = null, byte[]? weights = null, string? vocab = null, string? folder = null, bool complete = true,
        System.IO.Compression.CompressionLevel level = System.IO.Compression.CompressionLevel.Optimal)
    {
        config ??= complete ? Config() : null;
        weights ??= complete ? Safetensors() : null;
        vocab ??= complete ? VocabJson() : null;
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, byte[]? content)
            {
                if (content is null) return;
                using var entry = zip.CreateEntry(folder is null ? name : $"{folder}/{name}", level).Open();
                entry.Write(content);
            }
            Add("config.json", config is null ? null : Encoding.UTF8.GetBytes(config));
            Add("model.safetensors", weights);
            Add("vocab.json", vocab is null ? null : Encoding.UTF8.GetBytes(vocab));
            Add("README.md", Encoding.UTF8.GetBytes("ignored"));
        }
        return buffer.ToArray();
    }

    public static ByteArrayContent ZipContent(byte[] zip)
    {
        var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/zip");
        return content;
    }
}
