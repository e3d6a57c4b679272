using System.Text.Json;

namespace ForgetLab.Core.Tokenizers;

/// <summary>
/// The token ids of <c>generation_config.json</c>: <c>bos_token_id</c>, <c>eos_token_id</c> (one id or a list:
/// Llama-3-Instruct stops at both <c>&lt;|end_of_text|&gt;</c> and <c>&lt;|eot_id|&gt;</c>) and <c>pad_token_id</c>.
/// </summary>
public sealed record GenerationConfig(int? BosTokenId, IReadOnlyList<int> EosTokenIds, int? PadTokenId)
{
    public const string FileName = "generation_config.json";

    public static GenerationConfig Empty { get; } = new(null, [], null);

    /// <summary>The file's bytes (a folder on disk or an upload in memory; <see cref="PretrainedTokenizer.Load(string, TokenizerLimits?)"/> reads them).</summary>
    public static GenerationConfig Parse(byte[] json, TokenizerLimits? limits = null)
    {
        limits ??= TokenizerLimits.Default;
        using var doc = JsonField.Parse(json, FileName, limits);
        var root = new JsonField(FileName, "", doc.RootElement).Object();
        var eos = root.Child("eos_token_id");
        IReadOnlyList<int> eosIds = eos.Kind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => [],
            JsonValueKind.Array => eos.Items(limits.MaxComponents).Select(e => e.Int()).ToArray(),
            _ => [eos.Int()],
        };
        return new GenerationConfig(root.Child("bos_token_id").OptionalInt(), eosIds, root.Child("pad_token_id").OptionalInt());
    }
}
