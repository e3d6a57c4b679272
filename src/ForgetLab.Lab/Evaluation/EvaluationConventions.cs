using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Tokenization;

namespace ForgetLab.Lab.Evaluation;

/// <summary>
/// How a base's suites become lm-evaluation-harness requests: the task <c>description</c> written before every
/// context, and the model arguments (<see cref="LmEvalOptions"/>). <see cref="LmEval"/> is lm-eval's defaults.
/// <see cref="LabDocuments"/> is for ForgetLab's word-level tokenizer, whose every document starts with EOS and
/// never with a BOS: the description is EOS's text (lm-eval then adds no special tokens, as the context already
/// starts with the prefix token), the prefix token of rolling windows is EOS, and <c>add_bos_token</c> is false.
/// With the word-level tokenizer this gives exactly the ids the lab scored before it followed lm-eval.
/// </summary>
public sealed record EvaluationConventions(string Description, LmEvalOptions Options)
{
    public static EvaluationConventions LmEval { get; } = new("", LmEvalOptions.Defaults);

    /// <summary>
    /// The one rule, whoever trained the base: ForgetLab's word-level <c>vocab.json</c> (which only ForgetLab reads)
    /// is scored EOS first (<see cref="LabDocuments"/>); any Hugging Face tokenizer is scored as lm-eval scores a
    /// folder with that <c>tokenizer_config.json</c> (<see cref="LmEval"/>), and the lab pre-trains its own such bases
    /// to match (<see cref="Training.DocumentFraming.For"/>: Llama's SentencePiece BOS first).
    /// </summary>
    public static EvaluationConventions For(ITokenizer tokenizer) => tokenizer is WordTokenizer ? LabDocuments(tokenizer) : LmEval;

    public static EvaluationConventions LabDocuments(ITokenizer tokenizer)
    {
        var eos = tokenizer.RequireEos();
        return new(tokenizer.Decode([eos]), new LmEvalOptions(AddBosToken: false, PrefixTokenId: eos));
    }
}
