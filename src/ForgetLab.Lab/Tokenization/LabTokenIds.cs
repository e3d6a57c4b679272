using ForgetLab.Core.Tokenizers;

namespace ForgetLab.Lab.Tokenization;

/// <summary>
/// How the lab uses any tokenizer: text is encoded without the post-processor's tokens, because the lab frames
/// documents and prompts itself (<see cref="Training.DocumentFraming"/>: EOS first for the word-level tokenizer,
/// BOS first and EOS last as <c>tokenizer_config.json</c> says for a Hugging Face one); padding falls back to EOS for tokenizers that have no
/// PAD (GPT-2's and Llama's files define none), which is harmless because padded positions are never scored.
/// </summary>
public static class LabTokenIds
{
    /// <summary>The ids of <paramref name="text"/> without BOS/EOS added by the tokenizer.</summary>
    public static int[] EncodeText(this ITokenizer tokenizer, string text) => [.. tokenizer.Encode(text, addSpecialTokens: false)];

    /// <summary>
    /// A prompt and its completion as lm-evaluation-harness splits a (context, continuation) pair: trailing whitespace
    /// of the context moves to the continuation, the whole text is encoded once and the continuation is what follows
    /// the context's ids. A subword tokenizer thus gives the completion the ids it has after a space in running text
    /// (byte-level BPE's "Ġlima", not the "lima" of the word encoded alone); for the word tokenizer both are the same.
    /// </summary>
    public static (int[] Context, int[] Continuation) EncodePair(this ITokenizer tokenizer, string context, string continuation)
    {
        var trailing = context.Length - context.TrimEnd().Length;
        if (trailing > 0) (context, continuation) = (context[..^trailing], context[^trailing..] + continuation);
        var whole = tokenizer.EncodeText(context + continuation);
        var contextIds = tokenizer.EncodeText(context);
        return (contextIds, whole[Math.Min(contextIds.Length, whole.Length)..]);
    }

    /// <summary>The EOS id, which separates documents; a tokenizer without one cannot train or evaluate here.</summary>
    public static int RequireEos(this ITokenizer tokenizer) =>
        tokenizer.EosId ?? throw new InvalidDataException("the tokenizer has no EOS token (eos_token in tokenizer_config.json): the lab separates documents and starts prompts with it");

    /// <summary>The PAD id, or EOS when the tokenizer defines no PAD.</summary>
    public static int PadOrEos(this ITokenizer tokenizer) => tokenizer.PadId ?? tokenizer.RequireEos();
}
