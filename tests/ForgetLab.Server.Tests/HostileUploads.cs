using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using CsCheck;

namespace ForgetLab.Server.Tests;

/// <summary>
/// Model uploads an attacker (or a broken tool) sends, generated with CsCheck: corrupt and truncated
/// zips, small zip bombs, entry names that climb out ('../x') or are absolute, duplicate entries,
/// random safetensors headers (shapes that overflow, negative dims, offsets past the end or
/// overlapping, a header that is an array), wrong JSON types in config.json and vocab.json, deep
/// nesting and absurd header lengths. Each one says whether the platform must take it.
/// </summary>
internal static class HostileUploads
{
    /// <summary>One generated upload: what it is (for a failure message), its zip bytes, and whether it is a good model folder (null: it may be either).</summary>
    public sealed record Upload(string Kind, byte[] Zip, bool? Valid)
    {
        public override string ToString() => $"{Kind} ({Zip.Length} bytes)";
    }

    private static readonly string[] Dtypes = ["F32", "F16", "BF16", "F64", "I8", "U8", "BOOL", "f32", "Q4", "", "F32\0"];

    /// <summary>A good folder of random small dimensions.</summary>
    public static Gen<Upload> Good { get; } =
        Gen.Select(Gen.Int[1, 4], Gen.Int[1, 4], Gen.Int[2, 40], Gen.Bool, (heads, perHead, vocab, inFolder) =>
        {
            var embd = heads * perHead * 2;
            var zip = Zip([
                ("config.json", Encoding.UTF8.GetBytes(ModelFolders.Config(vocab, embd, heads))),
                ("model.safetensors", ModelFolders.Safetensors(vocab, embd)),
                ("vocab.json", Encoding.UTF8.GetBytes(ModelFolders.VocabJson(vocab))),
            ], inFolder ? "m" : null);
            return new Upload($"good vocab {vocab} embd {embd} heads {heads}", zip, true);
        });

    /// <summary>Bytes that are not a good zip: random, a good zip cut short, or a good zip with bytes overwritten.</summary>
    public static Gen<Upload> CorruptZips { get; } = Gen.OneOf(
        Gen.Byte.Array[0, 300].Select(b => new Upload("random bytes", b, false)),
        Gen.Select(Good, Gen.Double[0, 0.999], (good, cut) => new Upload("cut short", good.Zip[..(int)(good.Zip.Length * cut)], false)),
        Gen.Select(Good, Gen.Int[0, 10_000].Array[1, 8], Gen.Byte.Array[8], (good, at, with) =>
        {
            var zip = (byte[])good.Zip.Clone();
            for (var i = 0; i < at.Length; i++) zip[at[i] % zip.Length] ^= (byte)(with[i] | 1);
            // Flipped bytes may land in a byte no check reads (the README's, a timestamp): it may still be good.
            return new Upload("bytes flipped", zip, null);
        }));

    /// <summary>A model.safetensors of zeros that expands hundreds of times (small, so a run stays fast; tests use small limits).</summary>
    public static Gen<Upload> Bombs { get; } =
        Gen.Select(Gen.Int[300, 3000], Gen.Bool, (kib, honestHeader) =>
        {
            var data = (long)kib << 10;
            var header = honestHeader
                ? Encoding.UTF8.GetBytes($$$"""{"wte.weight":{"dtype":"U8","shape":[{{{data}}}],"data_offsets":[0,{{{data}}}]}}""")
                : Encoding.UTF8.GetBytes("""{"wte.weight":{"dtype":"F32","shape":[16,8],"data_offsets":[0,512]}}""");
            return new Upload($"bomb of {kib} KiB (header {(honestHeader ? "honest" : "lying")})",
                WithFolder(("model.safetensors", Safetensors(header, data))), false);
        });

    /// <summary>Entry names a zip of one folder never has.</summary>
    public static Gen<Upload> TraversalNames { get; } =
        Gen.OneOf<string>("../config.json", "../../x", "/etc/passwd", "/config.json", "a/../../config.json", "..\\config.json", "C:\\x", "m/../../vocab.json", "\\\\server\\x")
            .Select(name => new Upload($"entry named {name}", WithFolder((name, "x"u8.ToArray())), false));

    /// <summary>A model file twice, at the root and in the folder, or twice in one place.</summary>
    public static Gen<Upload> Duplicates { get; } =
        Gen.OneOf<string>("config.json", "model.safetensors", "vocab.json").SelectMany(file => Gen.Bool.Select(sameFolder =>
        {
            var files = GoodFiles().ToList();
            files.Add(((sameFolder ? "" : "m/") + file, files.First(f => f.Name == file).Bytes));
            return new Upload($"{file} twice", Zip(files, null), false);
        }));

    /// <summary>A safetensors header from a grammar of the ways one goes wrong.</summary>
    public static Gen<Upload> BadHeaders { get; } = Gen.OneOf(
        // The tensor entry with random dtype, shape and offsets (most are wrong; a few may be right by chance).
        Gen.Select(Gen.OneOf<string>(Dtypes), Gen.OneOf(Gen.Long, Gen.Long[-4, 4], Gen.Const(4294967296L), Gen.Long[0, 600]).Array[0, 4],
            Gen.OneOf(Gen.Long, Gen.Long[-10, 1000]).Array[0, 3], (dtype, shape, offsets) =>
                Header($$$"""{"wte.weight":{"dtype":"{{{dtype}}}","shape":[{{{string.Join(",", shape)}}}],"data_offsets":[{{{string.Join(",", offsets)}}}]}}""", 512, "random tensor") with { Valid = null }),
        // The findings: overflow, negative dims, an array, overlapping and gapped offsets, a span that is not the shape.
        Gen.OneOf<(string, string)>(
            ("""{"wte.weight":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}""", "overflowing shape"),
            ("""{"wte.weight":{"dtype":"F32","shape":[-1,-4],"data_offsets":[0,16]}}""", "negative dims"),
            ("""[{"dtype":"F32"}]""", "an array"),
            ("""{"a":{"dtype":"F32","shape":[16,8],"data_offsets":[0,512]},"b":{"dtype":"F32","shape":[4],"data_offsets":[500,516]}}""", "overlapping"),
            ("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[100,116]}}""", "a gap"),
            ("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[16,0]}}""", "ends before it begins"),
            ("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,99999]}}""", "past the end"),
            ("""{"a":{"dtype":"F32","shape":"4","data_offsets":[0,16]}}""", "shape a string"),
            ("""{"a":{"dtype":5,"shape":[4],"data_offsets":[0,16]}}""", "dtype a number"),
            ("""{"a":[1,2,3]}""", "tensor an array"),
            ("""{"__metadata__":{"x":1}}""", "metadata of numbers"),
            ("""{}""", "no tensors"),
            ("null", "null"),
            ("""{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}""", "fractional dim"))
            .Select(h => Header(h.Item1, 512, h.Item2)),
        Gen.Int[40, 200].Select(depth => Header(new string('[', depth) + new string(']', depth), 0, $"nested {depth} deep")),
        // The 8-byte length itself: zero, huge, past the file, or just right for garbage.
        Gen.OneOf(Gen.ULong, Gen.ULong[0, 64], Gen.Const(ulong.MaxValue), Gen.Const(100_000_001UL)).Select(length =>
        {
            var file = new byte[8 + 40];
            BinaryPrimitives.WriteUInt64LittleEndian(file, length);
            return new Upload($"header length {length}", WithFolder(("model.safetensors", file)), false);
        }));

    /// <summary>config.json and vocab.json with values of the wrong JSON type, or nested too deep.</summary>
    public static Gen<Upload> WrongJsonTypes { get; } = Gen.OneOf(
        Gen.Select(Gen.OneOf<string>("model_type", "vocab_size", "n_positions", "n_embd", "n_layer", "n_head", "layer_norm_epsilon"),
            Gen.OneOf<string>("5", "\"16\"", "[16]", "{\"a\":1}", "null", "true", "1.5", "-3", "1e400", "99999999999", "\"gpt2\""), (field, value) =>
            {
                var config = System.Text.Json.Nodes.JsonNode.Parse(ModelFolders.Config())!.AsObject();
                config[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
                // Any other size than the folder's tensors have is a shape the config contradicts.
                var valid = (field == "model_type" && value == "\"gpt2\"")
                    || (field == "layer_norm_epsilon" && value is "5" or "1.5" or "-3" or "99999999999");
                return new Upload($"config {field}: {value}", WithFolder(("config.json", Encoding.UTF8.GetBytes(config.ToJsonString()))), valid);
            }),
        Gen.OneOf<string>("[1,2]", "\"words\"", "{\"a\":\"1\"}", "{\"a\":-1}", "{\"a\":[1]}", "{\"a\":1.5}", "{}", "7", "{\"a\":{\"b\":{}}}")
            .Select(vocab => new Upload($"vocab {vocab}", WithFolder(("vocab.json", Encoding.UTF8.GetBytes(vocab))), false)),
        Gen.Int[33, 300].Select(depth => new Upload($"config nested {depth} deep",
            WithFolder(("config.json", Encoding.UTF8.GetBytes("{\"a\":" + new string('[', depth) + new string(']', depth) + "}"))), false)),
        Gen.OneOf<string>("config.json", "vocab.json").Select(file => new Upload($"{file} not JSON", WithFolder((file, "{not json"u8.ToArray())), false)));

    /// <summary>A zip of many entries whose end record claims a few: a zip reader would read every record the directory holds.</summary>
    public static Gen<Upload> LyingDirectories { get; } = Gen.Select(Gen.Int[65, 400], Gen.Int[1, 64], (held, claimed) =>
    {
        var files = GoodFiles().Concat(Enumerable.Range(0, held).Select(i => ($"m/f{i}.txt", new byte[1]))).ToList();
        var zip = Zip(files, null);
        var end = zip.Length - 22; // no comment: the end record is the last 22 bytes
        BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(end + 8), (ushort)claimed);
        BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(end + 10), (ushort)claimed);
        return new Upload($"{held + 3} entries, the end record claiming {claimed}", zip, false);
    });

    /// <summary>All kinds, about as often each (good folders included, so a check that refuses everything fails).</summary>
    public static Gen<Upload> Any { get; } = Gen.Frequency<Upload>(
        (2, Good), (3, CorruptZips), (2, Bombs), (2, TraversalNames), (2, Duplicates), (5, BadHeaders), (4, WrongJsonTypes), (1, LyingDirectories));

    /// <summary>A good folder's files with some replaced (by name) or added.</summary>
    public static byte[] WithFolder(params (string Name, byte[] Bytes)[] replaced)
    {
        var files = GoodFiles().Where(f => !replaced.Any(r => r.Name == f.Name)).Concat(replaced).ToList();
        return Zip(files, null);
    }

    public static (string Name, byte[] Bytes)[] GoodFiles() =>
    [
        ("config.json", Encoding.UTF8.GetBytes(ModelFolders.Config())),
        ("model.safetensors", ModelFolders.Safetensors()),
        ("vocab.json", Encoding.UTF8.GetBytes(ModelFolders.VocabJson())),
    ];

    public static byte[] Zip(IEnumerable<(string Name, byte[] Bytes)> files, string? folder)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in files)
            {
                using var entry = zip.CreateEntry(folder is null ? name : $"{folder}/{name}", CompressionLevel.Fastest).Open();
                entry.Write(bytes);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>A safetensors file: the header, then <paramref name="dataBytes"/> zeros.</summary>
    public static byte[] Safetensors(byte[] header, long dataBytes)
    {
        var file = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        return file;
    }

    private static Upload Header(string json, int dataBytes, string kind) =>
        new($"header {kind}: {(json.Length > 80 ? json[..80] + "…" : json)}", WithFolder(("model.safetensors", Safetensors(Encoding.UTF8.GetBytes(json), dataBytes))), false);
}
