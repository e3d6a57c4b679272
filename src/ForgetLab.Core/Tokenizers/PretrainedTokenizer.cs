using ForgetLab.Core.ChatTemplates;

namespace ForgetLab.Core.Tokenizers;

/// <summary>
/// A Hugging Face model folder's tokenizer, as transformers' <c>AutoTokenizer.from_pretrained</c> assembles it:
/// <c>tokenizer.json</c> (or, without one, SentencePiece's <c>tokenizer.model</c>), with <c>tokenizer_config.json</c>
/// naming the BOS/EOS/PAD tokens, deciding <c>add_bos_token</c>/<c>add_eos_token</c>, cleaning up decoded spaces
/// and carrying the chat template (or <c>chat_template.jinja</c>), and <c>generation_config.json</c> adding the ids
/// generation stops at. Any field that is malformed, names a token the vocabulary lacks, or asks for something not
/// implemented is refused with a <see cref="TokenizerFormatException"/> naming the file and the field.
/// </summary>
public sealed class PretrainedTokenizer : ITokenizer
{
    public const string ChatTemplateFileName = "chat_template.jinja";

    private readonly ITokenizer _inner;

    private PretrainedTokenizer(ITokenizer inner, string file, TokenizerConfig config, GenerationConfig generation,
        int? bos, int? eos, int? pad, int? unk, IReadOnlyDictionary<string, ChatTemplate> templates, IReadOnlyDictionary<string, string> templateSources)
    {
        _inner = inner;
        TokenizerFile = file;
        Config = config;
        Generation = generation;
        BosId = bos;
        EosId = eos;
        PadId = pad;
        UnkId = unk;
        ChatTemplates = templates;
        ChatTemplateSources = templateSources;
        StopIds = (eos is { } e ? [e] : Array.Empty<int>()).Concat(generation.EosTokenIds).Distinct().ToArray();
    }

    /// <summary>The file the vocabulary came from: <c>tokenizer.json</c> or <c>tokenizer.model</c>.</summary>
    public string TokenizerFile { get; }

    public TokenizerConfig Config { get; }

    public GenerationConfig Generation { get; }

    public int VocabSize => _inner.VocabSize;

    public int? BosId { get; }

    public int? EosId { get; }

    public int? PadId { get; }

    public int? UnkId { get; }

    /// <summary>The ids generation stops at: the EOS token and every <c>eos_token_id</c> of <c>generation_config.json</c>.</summary>
    public IReadOnlyList<int> StopIds { get; }

    /// <summary>The parsed chat templates by name (<c>default</c> for a single <c>chat_template</c> string).</summary>
    public IReadOnlyDictionary<string, ChatTemplate> ChatTemplates { get; }

    public IReadOnlyDictionary<string, string> ChatTemplateSources { get; }

    /// <summary>The template transformers' <c>apply_chat_template</c> uses by default, or null when the folder has none.</summary>
    public ChatTemplate? ChatTemplate => ChatTemplates.GetValueOrDefault("default");

    /// <summary>Whether the folder holds a tokenizer ForgetLab can load (<c>tokenizer.json</c> or <c>tokenizer.model</c>).</summary>
    public static bool Exists(string directory) =>
        File.Exists(Path.Combine(directory, HuggingFaceTokenizer.FileName)) || File.Exists(Path.Combine(directory, SentencePieceTokenizer.FileName));

    public static PretrainedTokenizer Load(string directory, TokenizerLimits? limits = null)
    {
        limits ??= TokenizerLimits.Default;
        return Load(name =>
        {
            var info = new FileInfo(Path.Combine(directory, name));
            if (!info.Exists) return null;
            if (info.Length > limits.MaxFileBytes)
                throw new TokenizerFormatException(name, "", $"the file is {info.Length} bytes, over the limit of {limits.MaxFileBytes}");
            return File.ReadAllBytes(info.FullName);
        }, limits);
    }

    /// <summary>
    /// The same from files held elsewhere (an upload in memory): <paramref name="readFile"/> gives a file's bytes by
    /// name (<c>tokenizer.json</c>, …), or null when the folder has no such file.
    /// </summary>
    public static PretrainedTokenizer Load(Func<string, byte[]?> readFile, TokenizerLimits? limits = null)
    {
        limits ??= TokenizerLimits.Default;
        var config = readFile(TokenizerConfig.FileName) is { } configBytes ? TokenizerConfig.Parse(configBytes, limits) : TokenizerConfig.Empty;
        var generation = readFile(GenerationConfig.FileName) is { } generationBytes ? GenerationConfig.Parse(generationBytes, limits) : GenerationConfig.Empty;

        ITokenizer inner;
        string file;
        if (readFile(HuggingFaceTokenizer.FileName) is { } json)
        {
            inner = HuggingFaceTokenizer.Parse(json, limits).WithAddedTokens(config.AddedTokensDecoder, config.SplitSpecialTokens);
            file = HuggingFaceTokenizer.FileName;
        }
        else if (readFile(SentencePieceTokenizer.FileName) is { } model)
        {
            inner = SentencePieceTokenizer.Parse(model, limits).WithAddedTokens(config.AddedTokensDecoder, config.SplitSpecialTokens);
            file = SentencePieceTokenizer.FileName;
        }
        else throw new TokenizerFormatException(HuggingFaceTokenizer.FileName, "", $"the folder has neither {HuggingFaceTokenizer.FileName} nor {SentencePieceTokenizer.FileName}");

        int? Resolve(string? token, string field, int? fallback)
        {
            if (token is null) return fallback;
            return inner.TokenToId(token) ?? throw new TokenizerFormatException(TokenizerConfig.FileName, field, $"names a token that is not in {file}'s vocabulary");
        }
        var bos = Resolve(config.BosToken, "bos_token", generation.BosTokenId ?? inner.BosId);
        var eos = Resolve(config.EosToken, "eos_token", generation.EosTokenIds.Count > 0 ? generation.EosTokenIds[0] : inner.EosId);
        var pad = Resolve(config.PadToken, "pad_token", generation.PadTokenId ?? inner.PadId);
        var unk = Resolve(config.UnkToken, "unk_token", inner.UnkId);
        if (config.AddBosToken == true && bos is null)
            throw new TokenizerFormatException(TokenizerConfig.FileName, "add_bos_token", "is true but the folder names no BOS token");
        if (config.AddEosToken == true && eos is null)
            throw new TokenizerFormatException(TokenizerConfig.FileName, "add_eos_token", "is true but the folder names no EOS token");

        var sources = new Dictionary<string, string>(config.ChatTemplates, StringComparer.Ordinal);
        var templateBytes = readFile(ChatTemplateFileName);
        if (templateBytes is not null)
        {
            if (templateBytes.Length > ChatTemplateLimits.Default.MaxTemplateChars * 4L)
                throw new TokenizerFormatException(ChatTemplateFileName, "", "the template is over its size limit");
            sources["default"] = System.Text.Encoding.UTF8.GetString(templateBytes);
        }
        var templates = new Dictionary<string, ChatTemplate>(StringComparer.Ordinal);
        foreach (var (name, source) in sources)
        {
            try
            {
                templates[name] = ChatTemplate.Parse(source);
            }
            catch (ChatTemplateException e)
            {
                var (where, field) = templateBytes is not null && name == "default" ? (ChatTemplateFileName, "") : (TokenizerConfig.FileName, name == "default" ? "chat_template" : $"chat_template[{name}]");
                throw new TokenizerFormatException(where, field, e.Message);
            }
        }
        return new PretrainedTokenizer(inner, file, config, generation, bos, eos, pad, unk, templates, sources);
    }

    /// <summary>
    /// With <c>add_bos_token</c>/<c>add_eos_token</c> set in <c>tokenizer_config.json</c>, the single-sequence template
    /// is BOS? text EOS? as those flags say (transformers' <c>update_post_processor</c>); otherwise the tokenizer
    /// file's own post-processor decides.
    /// </summary>
    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true)
    {
        if (Config.AddBosToken is null && Config.AddEosToken is null) return _inner.Encode(text, addSpecialTokens);
        var ids = _inner.Encode(text, addSpecialTokens: false);
        if (!addSpecialTokens) return ids;
        var result = new List<int>(ids.Count + 2);
        if (Config.AddBosToken == true) result.Add(BosId!.Value);
        result.AddRange(ids);
        if (Config.AddEosToken == true) result.Add(EosId!.Value);
        return result;
    }

    /// <summary>The decoded text; with <c>clean_up_tokenization_spaces</c> true, transformers' clean-up (" ." → ".", " n't" → "n't", …).</summary>
    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = false)
    {
        var text = _inner.Decode(ids, skipSpecialTokens);
        return Config.CleanUpTokenizationSpaces == true ? CleanUpTokenization(text) : text;
    }

    internal static string CleanUpTokenization(string text) => text
        .Replace(" .", ".", StringComparison.Ordinal).Replace(" ?", "?", StringComparison.Ordinal).Replace(" !", "!", StringComparison.Ordinal)
        .Replace(" ,", ",", StringComparison.Ordinal).Replace(" ' ", "'", StringComparison.Ordinal).Replace(" n't", "n't", StringComparison.Ordinal)
        .Replace(" 'm", "'m", StringComparison.Ordinal).Replace(" 's", "'s", StringComparison.Ordinal).Replace(" 've", "'ve", StringComparison.Ordinal)
        .Replace(" 're", "'re", StringComparison.Ordinal);

    public int? TokenToId(string token) => _inner.TokenToId(token);

    public string? IdToToken(int id) => _inner.IdToToken(id);

    public bool IsSpecial(int id) => _inner.IsSpecial(id);

    /// <summary>
    /// Why this tokenizer does not fit a model whose <c>config.json</c> says <paramref name="vocabSize"/>, or null
    /// when it fits: every id it can produce, and its BOS/EOS/PAD and stop ids, must be below the model's vocabulary
    /// size (a model may have more rows than the tokenizer has ids, as Qwen2's 151 936 for 151 665 ids).
    /// </summary>
    public string? CheckFits(int vocabSize)
    {
        if (VocabSize > vocabSize)
            return $"{TokenizerFile}: ids reach {VocabSize - 1} (vocabulary and added tokens) but config.json's vocab_size is {vocabSize}";
        foreach (var (name, id) in new[] { ("bos", BosId), ("eos", EosId), ("pad", PadId) })
            if (id >= vocabSize) return $"{TokenizerFile}: the {name} token id {id} is not below config.json's vocab_size {vocabSize}";
        foreach (var id in StopIds)
            if (id >= vocabSize) return $"{GenerationConfig.FileName}: eos_token_id {id} is not below config.json's vocab_size {vocabSize}";
        return null;
    }
}
