using ForgetLab.Core.Tokenizers;
using ForgetLab.Lab.Tokenization;

namespace ForgetLab.Lab.Evaluation;

/// <summary>
/// How a base's suites become lm-evaluation-harness requests: the task <c>description</c> written before every
/// context, and the model arguments (<see cref="LmEvalOptions"/>). <see cref="LmEval"/> is lm-eval's defaults, for a
/// model made elsewhere. <see cref="LabDocuments"/> is for the bases the lab pre-trains, whose every document starts
/// with EOS and never with a BOS: the description is EOS's text (lm-eval then adds no special tokens, as the context
/// already starts with the prefix token), the prefix token of rolling windows is EOS, and <c>add_bos_token</c> is
/// false. With the word-level tokenizer this gives exactly the ids the lab scored before it followed lm-eval.
/// </summary>
public sealed record EvaluationConventions(string Description, LmEvalOptions Options)
{
    public static EvaluationConventions LmEval { get; } = new("", LmEvalOptions.Defaults);

    public static EvaluationConventions LabDocuments(ITokenizer tokenizer)
    {
        var eos = tokenizer.RequireEos();
        return new(tokenizer.Decode([eos]), new LmEvalOptions(AddBosToken: false, PrefixTokenId: eos));
    }
}
