namespace ForgetLab.Core.ChatTemplates;

/// <summary>
/// A prompt template as lm-evaluation-harness renders <c>doc_to_text</c>, <c>doc_to_target</c>,
/// <c>doc_to_choice</c> and <c>description</c> (<c>lm_eval.utils.apply_template</c>): the same Jinja subset as
/// <see cref="ChatTemplate"/>, in <see cref="TemplateDialect.LmEval"/> — no block trimming, the trailing newline
/// kept, StrictUndefined, values printed as Python prints them, and the <c>regex_replace</c> filter. Constructs
/// outside the subset are refused by <see cref="Parse"/> with a <see cref="ChatTemplateException"/> naming them.
/// </summary>
public sealed class PromptTemplate
{
    private readonly IReadOnlyList<Stmt> _body;
    private readonly ChatTemplateLimits _limits;

    private PromptTemplate(IReadOnlyList<Stmt> body, ChatTemplateLimits limits)
    {
        _body = body;
        _limits = limits;
    }

    public static PromptTemplate Parse(string source, ChatTemplateLimits? limits = null)
    {
        limits ??= ChatTemplateLimits.Default;
        if (source.Length > limits.MaxTemplateChars)
            throw new ChatTemplateException($"template longer than {limits.MaxTemplateChars} characters", 0);
        var dialect = TemplateDialect.LmEval;
        return new PromptTemplate(new Parser(Lexer.Tokenize(source, dialect), limits, dialect).ParseTemplate(), limits);
    }

    /// <param name="document">The document's fields as template values: string, long, double, bool, null,
    /// <c>List&lt;object?&gt;</c> and <c>OrderedDictionary&lt;string, object?&gt;</c>.</param>
    public string Render(IReadOnlyDictionary<string, object?> document)
    {
        var globals = new Scope(null);
        foreach (var (name, value) in document) globals.Set(name, value);
        return new Evaluator(_limits, TimeProvider.System, TemplateDialect.LmEval).Render(_body, globals);
    }
}
