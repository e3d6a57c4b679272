using System.Text;
using ForgetLab.Core.Models;

namespace ForgetLab.Core.Tests.Models;

/// <summary>The registry's check of a Hugging Face folder: what it takes, and each way a folder is refused at its file and field.</summary>
public sealed class ModelFolderCheckTests
{
    private static (ModelSummary? Summary, IReadOnlyList<ModelFileProblem> Problems) Check(Dictionary<string, byte[]> files) =>
        ModelFolderCheck.Check(TinyHfFolders.Heads(files));

    [Theory]
    [InlineData("F32", false, false)]
    [InlineData("BF16", true, false)]
    [InlineData("F16", false, true)]
    public void ATinyLlamaFolderIsTakenWithItsArchitectureParametersDtypeAndTokenizer(string dtype, bool sharded, bool wordVocab)
    {
        var (summary, problems) = Check(TinyHfFolders.Llama(dtype, sharded, wordVocab));

        Assert.Empty(problems);
        // embed 16×8 + q 8×8 + k, v 4×8 + o 8×8 + gate, up 12×8 + down 8×12 + two norms 8 + final norm 8 + head 16×8
        Assert.Equal(128 + 64 + 32 + 32 + 64 + 96 + 96 + 96 + 16 + 8 + 128, summary!.Parameters);
        Assert.Equal(("llama", dtype, 1, 2, 1), (summary.ModelType, summary.Dtype, summary.Layers, summary.Heads, summary.KeyValueHeads));
        Assert.Equal(wordVocab ? new ModelTokenizerSummary("word", "vocab.json", 16) : new ModelTokenizerSummary("bpe", "tokenizer.json", 16), summary.Tokenizer);
        Assert.Equal(summary.Parameters * (dtype == "F32" ? 4 : 2), summary.WeightBytes);
    }

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
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void ABrokenFolderIsRefusedAtItsFileAndField(string broken, string where, string message)
    {
        var files = Break(broken);

        var (summary, problems) = Check(files);

        Assert.Null(summary);
        Assert.Contains(problems, p => p.Where == where && p.Message.Contains(message, StringComparison.Ordinal));
    }

    /// <summary>The tiny Llama folder broken one way (also the server's and the worker's tests' cases).</summary>
    public static Dictionary<string, byte[]> Break(string broken)
    {
        var config = TinyHfFolders.LlamaConfig();
        var tensors = ModelTensors.Expected(HfConfig.Parse(Encoding.UTF8.GetBytes(config), "config.json")).ToList();
        var files = broken is "an index naming a missing shard" or "an index putting a tensor elsewhere" ? TinyHfFolders.Llama(sharded: true) : TinyHfFolders.Llama();
        byte[] Weights(IEnumerable<(string, long[])> t, string dtype = "F32") => TinyHfFolders.Safetensors(t, dtype);
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
            case "single file and index":
                var sharded = TinyHfFolders.Llama(sharded: true);
                foreach (var (name, bytes) in sharded.Where(f => f.Key.StartsWith("model", StringComparison.Ordinal))) files[name] = bytes;
                break;
        }
        return files;
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
