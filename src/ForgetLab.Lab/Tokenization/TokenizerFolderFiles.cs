using System.Text.Json;
using System.Text.Json.Nodes;
using ForgetLab.Core.Models;
using ForgetLab.Core.Tokenizers;

namespace ForgetLab.Lab.Tokenization;

/// <summary>
/// The tokenizer files of a Hugging Face model folder as transformers' <c>save_pretrained</c> leaves them beside
/// the vocabulary file: <c>tokenizer_config.json</c> (bos/eos/unk/pad, <c>add_bos_token</c>/<c>add_eos_token</c>,
/// <c>model_max_length</c>, <c>tokenizer_class</c>, a chat template when there is one), <c>special_tokens_map.json</c>
/// and <c>generation_config.json</c> (bos/eos/pad ids), so <c>AutoTokenizer</c> and <c>generate</c> find them.
/// </summary>
public static class TokenizerFolderFiles
{
    public const string SpecialTokensMapFile = "special_tokens_map.json";

    /// <summary>Every tokenizer file a model folder may carry, copied as they are when a fine-tuned model is saved.</summary>
    public static IReadOnlyList<string> Names => ModelFiles.TokenizerFiles;

    /// <summary>What transformers needs beside a trained vocabulary file to load it with the given special tokens.</summary>
    /// <param name="specials">The bos, eos, unk and pad tokens (each null when the tokenizer has none); each must be in the vocabulary.</param>
    /// <param name="addBos">Whether encoding adds BOS (LlamaTokenizer's default for a SentencePiece model).</param>
    public static void WriteConfigs(
        string directory, ITokenizer tokenizer, (string? Bos, string? Eos, string? Unk, string? Pad) specials, string tokenizerClass, bool addBos,
        int modelMaxLength, string? chatTemplate = null)
    {
        var (bos, eos, unk, pad) = specials;
        int? Id(string? token) => token is null ? null : tokenizer.TokenToId(token) ?? throw new ArgumentException($"'{token}' is not in the vocabulary", nameof(specials));
        var (bosId, eosId, unkId, padId) = (Id(bos), Id(eos), Id(unk), Id(pad));
        var decoder = new JsonObject();
        foreach (var id in new[] { unkId, bosId, eosId, padId }.OfType<int>().Distinct().Order())
        {
            decoder[id.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["content"] = tokenizer.IdToToken(id), ["lstrip"] = false, ["normalized"] = false, ["rstrip"] = false,
                ["single_word"] = false, ["special"] = true,
            };
        }

        var config = new JsonObject
        {
            ["add_bos_token"] = addBos,
            ["add_eos_token"] = false,
            ["added_tokens_decoder"] = decoder,
            ["bos_token"] = bos,
            ["clean_up_tokenization_spaces"] = false,
            ["eos_token"] = eos,
            ["model_max_length"] = modelMaxLength,
            ["pad_token"] = pad,
            ["tokenizer_class"] = tokenizerClass,
            ["unk_token"] = unk,
        };
        if (chatTemplate is not null) config["chat_template"] = chatTemplate;
        Write(Path.Combine(directory, TokenizerConfig.FileName), config);

        var map = new JsonObject();
        foreach (var (name, token) in new[] { ("bos_token", bos), ("eos_token", eos), ("pad_token", pad), ("unk_token", unk) })
            if (token is not null) map[name] = token;
        Write(Path.Combine(directory, SpecialTokensMapFile), map);

        var generation = new JsonObject();
        foreach (var (name, id) in new[] { ("bos_token_id", bosId), ("eos_token_id", eosId), ("pad_token_id", padId) })
            if (id is not null) generation[name] = id;
        Write(Path.Combine(directory, GenerationConfig.FileName), generation);
    }

    /// <summary>Copies every tokenizer file of <paramref name="from"/> into <paramref name="to"/>; the count copied.</summary>
    public static int Copy(string from, string to)
    {
        var copied = 0;
        foreach (var name in Names.Where(n => File.Exists(Path.Combine(from, n))))
        {
            File.Copy(Path.Combine(from, name), Path.Combine(to, name), overwrite: true);
            copied++;
        }
        return copied;
    }

    private static void Write(string path, JsonNode node) =>
        File.WriteAllText(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
}
