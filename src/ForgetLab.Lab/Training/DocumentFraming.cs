using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Tokenization;

namespace ForgetLab.Lab.Training;

/// <summary>
/// The tokens the lab puts around every document it trains on (pre-training, replay, PTX text), one rule per
/// tokenizer, so that a base is trained as it is then scored (<see cref="Evaluation.EvaluationConventions.For"/>):
/// <list type="bullet">
/// <item>ForgetLab's word-level <c>vocab.json</c>, which no Hugging Face tool loads: EOS before each document, the
/// lab's own convention (its scoring starts every context with EOS).</item>
/// <item>A Hugging Face tokenizer (<c>tokenizer.model</c>, <c>tokenizer.json</c>): each document begins as
/// <c>tokenizer(text)</c> begins it (<c>add_bos_token</c>: Llama's SentencePiece puts BOS first, GPT-2's BPE
/// nothing) and ends with EOS, because lm-evaluation-harness encodes every context and prompt of such a folder with
/// those special tokens, and starts rolling windows from BOS (else EOS).</item>
/// </list>
/// </summary>
/// <param name="Before">Ids written before each document's text.</param>
/// <param name="After">Ids written after it.</param>
public sealed record DocumentFraming(IReadOnlyList<int> Before, IReadOnlyList<int> After)
{
    /// <summary>The word-level rule: <paramref name="separatorId"/> (EOS) before each document, nothing after.</summary>
    public static DocumentFraming SeparatorFirst(int separatorId) => new([separatorId], []);

    public static DocumentFraming For(ITokenizer tokenizer)
    {
        var eos = tokenizer.RequireEos();
        if (tokenizer is WordTokenizer) return SeparatorFirst(eos);
        // The post-processor's tokens of an empty text are its prefix (and, with add_eos_token, EOS, which goes after).
        var prefix = tokenizer.Encode("", addSpecialTokens: true).ToList();
        if (prefix.Count > 0 && prefix[^1] == eos) prefix.RemoveAt(prefix.Count - 1);
        return new(prefix, [eos]);
    }

    /// <summary>
    /// The one token a fine-tuning row starts from (it predicts the example's first id): the framing's first token
    /// before a document, else (a tokenizer that adds none, as GPT-2's) EOS, which ends every document it saw.
    /// </summary>
    public int StartId => Before.Count > 0 ? Before[0] : After[^1];
}
