using ForgetLab.Core.Tokenizers;

namespace ForgetLab.Lab.Tokenization;

/// <summary>
/// How the lab uses any tokenizer: text is encoded without the post-processor's tokens, because the lab places
/// EOS between documents and before every prompt itself; padding falls back to EOS for tokenizers that have no
/// PAD (GPT-2's and Llama's files define none), which is harmless because padded positions are never scored.
/// </summary>
public static class LabTokenIds
{
    /// <summary>The ids of <paramref name="text"/> without BOS/EOS added by the tokenizer.</summary>
    public static int[] EncodeText(this ITokenizer tokenizer, string text) => [.. tokenizer.Encode(text, addSpecialTokens: false)];

    /// <summary>The EOS id, which separates documents; a tokenizer without one cannot train or evaluate here.</summary>
    public static int RequireEos(this ITokenizer tokenizer) =>
        tokenizer.EosId ?? throw new InvalidDataException("the tokenizer has no EOS token (eos_token in tokenizer_config.json): the lab separates documents and starts prompts with it");

    /// <summary>The PAD id, or EOS when the tokenizer defines no PAD.</summary>
    public static int PadOrEos(this ITokenizer tokenizer) => tokenizer.PadId ?? tokenizer.RequireEos();
}
