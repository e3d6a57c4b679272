using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using ForgetLab.Core.Models;

namespace ForgetLab.Core.Tests.Models;

/// <summary>
/// Tiny Hugging Face model folders written by hand, as files in memory (name → bytes), so each part can be
/// broken on purpose: a Llama-architecture config (GQA, untied head), its every tensor with small seeded
/// values in F32, F16 or BF16, in one model.safetensors or two shards with an index, and a tokenizer —
/// a BPE tokenizer.json of <see cref="Vocab"/> tokens with tokenizer_config.json, or ForgetLab's word vocab.json.
/// </summary>
public static class TinyHfFolders
{
    public const int Vocab = 16;

    public static string LlamaConfig(int vocab = Vocab, int hidden = 8, int heads = 2, int kvHeads = 1) =>
        $$"""{"architectures":["LlamaForCausalLM"],"model_type":"llama","vocab_size":{{vocab}},"hidden_size":{{hidden}},"intermediate_size":12,"num_hidden_layers":1,"num_attention_heads":{{heads}},"num_key_value_heads":{{kvHeads}},"max_position_embeddings":64,"rms_norm_eps":1e-6,"tie_word_embeddings":false,"torch_dtype":"bfloat16"}""";

    /// <summary>The folder: config, weights (sharded when asked) in <paramref name="dtype"/>, and a tokenizer.</summary>
    public static Dictionary<string, byte[]> Llama(string dtype = "F32", bool sharded = false, bool wordVocab = false, string? config = null)
    {
        var configText = config ?? LlamaConfig();
        var parsed = HfConfig.Parse(Encoding.UTF8.GetBytes(configText), "config.json");
        var tensors = ModelTensors.Expected(parsed);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["config.json"] = Encoding.UTF8.GetBytes(configText) };
        if (sharded)
        {
            var half = tensors.Count / 2;
            const string first = "model-00001-of-00002.safetensors", second = "model-00002-of-00002.safetensors";
            files[first] = Safetensors(tensors.Take(half), dtype);
            files[second] = Safetensors(tensors.Skip(half), dtype);
            var map = tensors.Select((t, i) => (t.Name, File: i < half ? first : second)).ToDictionary(t => t.Name, t => t.File);
            files["model.safetensors.index.json"] = JsonSerializer.SerializeToUtf8Bytes(new { metadata = new { total_size = 0 }, weight_map = map });
        }
        else files["model.safetensors"] = Safetensors(tensors, dtype);
        if (wordVocab) files["vocab.json"] = WordVocab();
        else
        {
            files["tokenizer.json"] = TokenizerJson(Vocab);
            files["tokenizer_config.json"] = """{"bos_token":"<s>","eos_token":"</s>","add_bos_token":true}"""u8.ToArray();
            files["generation_config.json"] = """{"bos_token_id":1,"eos_token_id":2}"""u8.ToArray();
        }
        return files;
    }

    /// <summary>ForgetLab's word vocabulary: the four specials, then words.</summary>
    public static byte[] WordVocab(int tokens = Vocab) =>
        JsonSerializer.SerializeToUtf8Bytes(new[] { "<pad>", "<bos>", "<eos>", "<unk>" }.Concat(Enumerable.Range(4, tokens - 4).Select(i => $"w{i}"))
            .Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i));

    /// <summary>A BPE tokenizer.json of <paramref name="tokens"/> ids: &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt; (added, special), then letters and one merge.</summary>
    public static byte[] TokenizerJson(int tokens)
    {
        var vocab = new Dictionary<string, int> { ["<unk>"] = 0, ["<s>"] = 1, ["</s>"] = 2 };
        for (var i = 3; i < tokens - 1; i++) vocab[((char)('a' + i - 3)).ToString()] = i;
        vocab["ab"] = tokens - 1;
        var json = new
        {
            version = "1.0",
            added_tokens = new[] { "<unk>", "<s>", "</s>" }.Select((t, i) => new { id = i, content = t, single_word = false, lstrip = false, rstrip = false, normalized = false, special = true }),
            normalizer = (object?)null,
            pre_tokenizer = (object?)null,
            post_processor = (object?)null,
            decoder = (object?)null,
            model = new { type = "BPE", dropout = (object?)null, unk_token = "<unk>", continuing_subword_prefix = (object?)null, end_of_word_suffix = (object?)null, fuse_unk = false, byte_fallback = false, vocab, merges = new[] { "a b" } },
        };
        return JsonSerializer.SerializeToUtf8Bytes(json);
    }

    /// <summary>A safetensors file of the tensors, in the order given, with small seeded values (the same every time).</summary>
    public static byte[] Safetensors(IEnumerable<(string Name, long[] Shape)> tensors, string dtype = "F32")
    {
        var size = dtype == "F32" ? 4 : 2;
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        var data = new MemoryStream();
        var random = new Random(12);
        var value = new byte[4];
        foreach (var (name, shape) in tensors)
        {
            var count = shape.Aggregate(1L, (n, d) => n * d);
            header[name] = new { dtype, shape, data_offsets = new[] { data.Length, data.Length + count * size } };
            for (long i = 0; i < count; i++)
            {
                var x = (float)(random.NextDouble() - 0.5) * 0.2f;
                if (dtype == "F32") BinaryPrimitives.WriteSingleLittleEndian(value, x);
                else if (dtype == "F16") BinaryPrimitives.WriteHalfLittleEndian(value, (Half)x);
                else BinaryPrimitives.WriteUInt16LittleEndian(value, (ushort)(BitConverter.SingleToInt32Bits(x) >> 16));
                data.Write(value, 0, size);
            }
        }
        var json = JsonSerializer.SerializeToUtf8Bytes(header);
        var file = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.ToArray().CopyTo(file, 8 + json.Length);
        return file;
    }

    /// <summary>The files as the check reads them (every file whole: a safetensors head may be longer than its header).</summary>
    public static Dictionary<string, ModelFileHead> Heads(IReadOnlyDictionary<string, byte[]> files) =>
        files.ToDictionary(f => f.Key, f => new ModelFileHead(f.Value.LongLength, f.Value), StringComparer.Ordinal);

    /// <summary>Each way a folder is broken: the case, where the problem is named, and what it says.</summary>
    public static TheoryData<string, string, string> Broken => new()
    {
        { "config missing a field", "config.json.intermediate_size", "missing" },
        { "config contradicting itself", "config.json.architectures", "contradicts model_type 'llama'" },
        { "heads not dividing", "config.json.num_key_value_heads", "3 does not divide num_attention_heads (2)" },
        { "a shape the config contradicts", "model.safetensors[model.layers.0.self_attn.k_proj.weight]", "has shape [4, 8] but config.json" },
        { "a tensor missing", "model.safetensors", "missing tensor 'lm_head.weight'" },
        { "a tensor too many", "model.safetensors[model.layers.1.mlp.up_proj.weight]", "has no place in a llama model" },
        { "an index naming a missing shard", "model.safetensors.index.json.weight_map[model.embed_tokens.weight]", "names model-00001-of-00002.safetensors, which is not in the folder" },
        { "an index putting a tensor elsewhere", "model-00002-of-00002.safetensors[model.norm.weight]", "is not where model.safetensors.index.json's weight_map puts it" },
        { "a dtype the lab does not read", "model.safetensors[model.norm.weight]", "dtype: I32" },
        { "a tokenizer larger than vocab_size", "tokenizer.json", "ids reach 19 (vocabulary and added tokens) but config.json's vocab_size is 16" },
        { "a tokenizer config naming an absent token", "tokenizer_config.json.bos_token", "names a token that is not in tokenizer.json's vocabulary" },
        { "a word vocabulary larger than vocab_size", "vocab.json", "holds 20 tokens, more than config.json's vocab_size 16" },
        { "no tokenizer", "tokenizer.json", "missing: a model folder needs a tokenizer" },
        { "single file and index", "model.safetensors.index.json", "holds both model.safetensors and a sharded index" },
        { "an index naming a shard outside the folder", "model.safetensors.index.json.weight_map[model.norm.weight]", "'../evil.safetensors' is not a .safetensors file in the folder" },
        { "an index nested too deep", "model.safetensors.index.json", "nested deeper than the 32 levels allowed" },
        { "a shard's shape overflowing", "model-00002-of-00002.safetensors[model.norm.weight]", "holds more bytes than any file can" },
        { "a shard's header claiming 2^63 bytes", "model-00001-of-00002.safetensors", "its header claims 9223372036854775808 bytes, more than the 100000000" },
        { "a tokenizer.json nested too deep", "tokenizer.json", "" },
        { "a config nested too deep", "config.json", "nested deeper than the 32 levels allowed" },
    };

    /// <summary>The tiny Llama folder broken one way (also the server's and the worker's tests' cases).</summary>
    public static Dictionary<string, byte[]> Break(string broken)
    {
        var config = TinyHfFolders.LlamaConfig();
        var tensors = ModelTensors.Expected(HfConfig.Parse(Encoding.UTF8.GetBytes(config), "config.json")).ToList();
        var files = broken.Contains("index", StringComparison.Ordinal) || broken.Contains("shard", StringComparison.Ordinal) ? Llama(sharded: true) : Llama();
        byte[] Weights(IEnumerable<(string, long[])> t, string dtype = "F32") => Safetensors(t, dtype);
        switch (broken)
        {
            case "config missing a field": files["config.json"] = Encoding.UTF8.GetBytes(config.Replace("\"intermediate_size\":12,", "")); break;
            case "config contradicting itself": files["config.json"] = Encoding.UTF8.GetBytes(config.Replace("LlamaForCausalLM", "Qwen2ForCausalLM")); break;
            case "heads not dividing": files["config.json"] = Encoding.UTF8.GetBytes(TinyHfFolders.LlamaConfig(kvHeads: 3)); break;
            case "a shape the config contradicts":
                files["model.safetensors"] = Weights(tensors.Select(t => t.Name.EndsWith("k_proj.weight", StringComparison.Ordinal) ? (t.Name, new long[] { 4, 8 }) : t)
                    .Select(t => t.Name.EndsWith("v_proj.weight", StringComparison.Ordinal) ? (t.Name, new long[] { 4, 8 }) : t));
                files["config.json"] = Encoding.UTF8.GetBytes(TinyHfFolders.LlamaConfig(heads: 2, kvHeads: 2));
                break;
            case "a tensor missing": files["model.safetensors"] = Weights(tensors.Where(t => t.Name != "lm_head.weight")); break;
            case "a tensor too many": files["model.safetensors"] = Weights(tensors.Append(("model.layers.1.mlp.up_proj.weight", [12, 8]))); break;
            case "an index naming a missing shard": files.Remove("model-00001-of-00002.safetensors"); break;
            case "an index putting a tensor elsewhere":
                files["model.safetensors.index.json"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(files["model.safetensors.index.json"])
                    .Replace("\"model.norm.weight\":\"model-00002-of-00002.safetensors\"", "\"model.norm.weight\":\"model-00001-of-00002.safetensors\""));
                break;
            case "a dtype the lab does not read":
                files["model.safetensors"] = Retype(Weights(tensors), "model.norm.weight", "I32");
                break;
            case "a tokenizer larger than vocab_size": files["tokenizer.json"] = TinyHfFolders.TokenizerJson(20); break;
            case "a tokenizer config naming an absent token": files["tokenizer_config.json"] = """{"bos_token":"<bos>"}"""u8.ToArray(); break;
            case "a word vocabulary larger than vocab_size":
                files.Remove("tokenizer.json"); files.Remove("tokenizer_config.json"); files.Remove("generation_config.json");
                files["vocab.json"] = TinyHfFolders.WordVocab(20);
                break;
            case "no tokenizer": files.Remove("tokenizer.json"); files.Remove("tokenizer_config.json"); files.Remove("generation_config.json"); break;
            case "an index naming a shard outside the folder":
                files["model.safetensors.index.json"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(files["model.safetensors.index.json"])
                    .Replace("\"model.norm.weight\":\"model-00002-of-00002.safetensors\"", "\"model.norm.weight\":\"../evil.safetensors\""));
                break;
            case "an index nested too deep":
                files["model.safetensors.index.json"] = Encoding.UTF8.GetBytes("{\"weight_map\":" + new string('[', 200) + new string(']', 200) + "}");
                break;
            case "a shard's shape overflowing":
                files["model-00002-of-00002.safetensors"] = WithHeader(files["model-00002-of-00002.safetensors"],
                    h => h.Replace("\"model.norm.weight\":{\"dtype\":\"F32\",\"shape\":[8]", "\"model.norm.weight\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,8]", StringComparison.Ordinal));
                break;
            case "a shard's header claiming 2^63 bytes":
                BinaryPrimitives.WriteUInt64LittleEndian(files["model-00001-of-00002.safetensors"], 1UL << 63);
                break;
            case "a tokenizer.json nested too deep":
                files["tokenizer.json"] = Encoding.UTF8.GetBytes("{\"model\":" + new string('[', 5000) + new string(']', 5000) + "}");
                break;
            case "a config nested too deep":
                files["config.json"] = Encoding.UTF8.GetBytes("{\"a\":" + new string('[', 100) + new string(']', 100) + "}");
                break;
            case "single file and index": files["model.safetensors"] = Llama()["model.safetensors"]; break;
        }
        return files;
    }

    /// <summary>The safetensors file with its JSON header edited (and its length prefix rewritten); the tensors' bytes unchanged.</summary>
    private static byte[] WithHeader(byte[] file, Func<string, string> edit)
    {
        var length = (int)SafetensorsHeader.ClaimedLength(file);
        var header = Encoding.UTF8.GetBytes(edit(Encoding.UTF8.GetString(file, 8, length)));
        var result = new byte[8 + header.Length + file.Length - 8 - length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)header.Length);
        header.CopyTo(result, 8);
        file.AsSpan(8 + length).CopyTo(result.AsSpan(8 + header.Length));
        return result;
    }

    /// <summary>The same file with one tensor's dtype renamed (I32 and F32 are both four bytes, so the spans still add up).</summary>
    private static byte[] Retype(byte[] file, string tensor, string dtype)
    {
        var length = (int)SafetensorsHeader.ClaimedLength(file);
        var header = Encoding.UTF8.GetString(file, 8, length);
        var at = header.IndexOf($"\"{tensor}\":{{\"dtype\":\"F32\"", StringComparison.Ordinal);
        var changed = header[..at] + $"\"{tensor}\":{{\"dtype\":\"{dtype}\"" + header[(at + $"\"{tensor}\":{{\"dtype\":\"F32\"".Length)..];
        Assert.Equal(header.Length, changed.Length);
        var copy = (byte[])file.Clone();
        Encoding.UTF8.GetBytes(changed).CopyTo(copy, 8);
        return copy;
    }
}
