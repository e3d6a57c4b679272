namespace ForgetLab.Lab.Evaluation;

/// <summary>
/// The arguments of lm-evaluation-harness's Hugging Face model (<c>HFLM</c>) that change what is scored:
/// <c>add_bos_token</c> (null: the tokenizer's own post-processor decides, lm-eval's default),
/// <c>prefix_token_id</c> (the token an empty context and every rolling window start from; null: BOS, else EOS)
/// and <c>max_length</c> (null: the model's <c>n_positions</c> / <c>max_position_embeddings</c>).
/// </summary>
public sealed record LmEvalOptions(bool? AddBosToken = null, int? PrefixTokenId = null, int? MaxLength = null)
{
    /// <summary>lm-eval's defaults: every field null.</summary>
    public static LmEvalOptions Defaults { get; } = new();
}
