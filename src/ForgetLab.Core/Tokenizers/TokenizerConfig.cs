using System.Text.Json;

namespace ForgetLab.Core.Tokenizers;

/// <summary>
/// What transformers reads from <c>tokenizer_config.json</c>: the special tokens (a string or an
/// <c>{"content": …}</c> object each), <c>add_bos_token</c>/<c>add_eos_token</c>, the chat template(s),
/// <c>clean_up_tokenization_spaces</c>, <c>split_special_tokens</c> and <c>added_tokens_decoder</c>. Other fields
/// (<c>model_max_length</c>, <c>tokenizer_class</c>, …) do not change ids and are kept only where named here.
/// </summary>
public sealed record TokenizerConfig(
    string? BosToken,
    string? EosToken,
    string? PadToken,
    string? UnkToken,
    bool? AddBosToken,
    bool? AddEosToken,
    bool? CleanUpTokenizationSpaces,
    bool SplitSpecialTokens,
    IReadOnlyDictionary<string, string> ChatTemplates,
    IReadOnlyList<AddedToken> AddedTokensDecoder,
    string? TokenizerClass)
{
    public const string FileName = "tokenizer_config.json";

    public static TokenizerConfig Empty { get; } = new(null, null, null, null, null, null, null, false,
        new Dictionary<string, string>(), [], null);

    /// <summary>The file's bytes (a folder on disk or an upload in memory; <see cref="PretrainedTokenizer.Load(string, TokenizerLimits?)"/> reads them).</summary>
    public static TokenizerConfig Parse(byte[] json, TokenizerLimits? limits = null)
    {
        limits ??= TokenizerLimits.Default;
        using var doc = JsonField.Parse(json, FileName, limits);
        var root = new JsonField(FileName, "", doc.RootElement).Object();

        var templates = new Dictionary<string, string>(StringComparer.Ordinal);
        var template = root.Child("chat_template");
        if (template.Kind == JsonValueKind.String) templates["default"] = template.String();
        else if (!template.IsNull)
            foreach (var entry in template.Items(limits.MaxComponents))
                templates[entry.Object().Child("name").String()] = entry.Child("template").String();

        var added = new List<AddedToken>();
        var decoder = root.Child("added_tokens_decoder");
        if (!decoder.IsNull)
            foreach (var (name, value) in decoder.Properties(limits.MaxAddedTokens))
            {
                if (!int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id >= limits.MaxVocabulary)
                    throw value.Error("the key is not a token id");
                added.Add(AddedToken.Parse(value, id, limits));
            }
        AddedVocabulary.CheckSize(added, limits, FileName, "added_tokens_decoder");

        return new TokenizerConfig(
            SpecialToken(root.Child("bos_token")),
            SpecialToken(root.Child("eos_token")),
            SpecialToken(root.Child("pad_token")),
            SpecialToken(root.Child("unk_token")),
            root.Child("add_bos_token").OptionalBool(),
            root.Child("add_eos_token").OptionalBool(),
            root.Child("clean_up_tokenization_spaces").OptionalBool(),
            root.Child("split_special_tokens").Bool(false),
            templates,
            added,
            root.Child("tokenizer_class").OptionalString());
    }

    // "<s>" or {"content": "<s>", "__type": "AddedToken", …}.
    private static string? SpecialToken(JsonField field) => field.Kind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => field.String(),
        JsonValueKind.Object => field.Child("content").String(),
        _ => throw field.Error($"expected a token (a string or an object with \"content\"), found {field.Describe()}"),
    };
}
