using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace ForgetLab.Server.Tests;

/// <summary>
/// Model folders as zips, built by hand so each part can be broken on purpose: a one-layer GPT-2
/// config, a safetensors file holding its tensors (zeros), and a word vocabulary.
/// </summary>
internal static class ModelFolders
{
    public const int Vocab = 16;
    public const int Embd = 8;

    public static string Config(int vocab = Vocab, int embd = Embd, int heads = 2) =>
        $$"""{"model_type":"gpt2","vocab_size":{{vocab}},"n_positions":{{Positions}},"n_embd":{{embd}},"n_layer":1,"n_head":{{heads}}}""";

    public const int Positions = 32;

    /// <summary>
    /// A one-layer GPT-2's every tensor (zeros), F32, with the token embedding [<paramref name="rows"/>,
    /// <paramref name="cols"/>] stored last so its span can be made to lie (<paramref name="claimedBytes"/>,
    /// the file then holding that many bytes for it).
    /// </summary>
    public static byte[] Safetensors(int rows = Vocab, int cols = Embd, int? claimedBytes = null)
    {
        long e = cols;
        var tensors = new List<(string Name, long[] Shape)>
        {
            ("transformer.wpe.weight", [Positions, e]),
            ("transformer.h.0.ln_1.weight", [e]), ("transformer.h.0.ln_1.bias", [e]),
            ("transformer.h.0.attn.c_attn.weight", [e, 3 * e]), ("transformer.h.0.attn.c_attn.bias", [3 * e]),
            ("transformer.h.0.attn.c_proj.weight", [e, e]), ("transformer.h.0.attn.c_proj.bias", [e]),
            ("transformer.h.0.ln_2.weight", [e]), ("transformer.h.0.ln_2.bias", [e]),
            ("transformer.h.0.mlp.c_fc.weight", [e, 4 * e]), ("transformer.h.0.mlp.c_fc.bias", [4 * e]),
            ("transformer.h.0.mlp.c_proj.weight", [4 * e, e]), ("transformer.h.0.mlp.c_proj.bias", [e]),
            ("transformer.ln_f.weight", [e]), ("transformer.ln_f.bias", [e]),
        };
        var header = new Dictionary<string, object>();
        long offset = 0;
        foreach (var (name, shape) in tensors)
        {
            var bytes = shape.Aggregate(4L, (n, d) => n * d);
            header[name] = new { dtype = "F32", shape, data_offsets = new[] { offset, offset + bytes } };
            offset += bytes;
        }
        var wte = claimedBytes ?? rows * cols * 4;
        header["wte.weight"] = new { dtype = "F32", shape = new long[] { rows, cols }, data_offsets = new[] { offset, offset + wte } };
        var json = JsonSerializer.SerializeToUtf8Bytes(header);
        var file = new byte[8 + json.Length + offset + wte];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        return file;
    }

    /// <summary>The parameters of <see cref="Config"/>'s one-layer GPT-2.</summary>
    public static long Parameters(int vocab = Vocab, int embd = Embd) =>
        (long)vocab * embd + (long)Positions * embd + 12L * embd * embd + 13L * embd + 2L * embd;

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
