namespace ForgetLab.Core.ChatTemplates;

/// <summary>
/// A Hugging Face <c>chat_template</c> (the Jinja string of <c>tokenizer_config.json</c>), parsed once and rendered
/// per conversation the way transformers renders it: <c>trim_blocks</c> and <c>lstrip_blocks</c> on, one trailing
/// newline dropped. It implements the subset of Jinja the real templates use (<c>if/elif/else</c>, <c>for</c> with
/// <c>loop.*</c>, <c>set</c> with <c>namespace()</c>, whitespace control, filters, tests, subscripts and slices,
/// <c>raise_exception</c>, <c>strftime_now</c>); anything else is refused by <see cref="Parse"/> with a
/// <see cref="ChatTemplateException"/> naming the construct and its line.
/// </summary>
public sealed class ChatTemplate
{
    private readonly IReadOnlyList<Stmt> _body;
    private readonly ChatTemplateLimits _limits;
    private readonly TimeProvider _time;

    private ChatTemplate(IReadOnlyList<Stmt> body, ChatTemplateLimits limits, TimeProvider time)
    {
        _body = body;
        _limits = limits;
        _time = time;
    }

    /// <param name="source">The template text.</param>
    /// <param name="limits">Bounds on size, nesting, output and loop iterations; <see cref="ChatTemplateLimits.Default"/> when null.</param>
    /// <param name="time">The clock of <c>strftime_now</c>; the system clock when null.</param>
    public static ChatTemplate Parse(string source, ChatTemplateLimits? limits = null, TimeProvider? time = null)
    {
        limits ??= ChatTemplateLimits.Default;
        if (source.Length > limits.MaxTemplateChars)
            throw new ChatTemplateException($"template longer than {limits.MaxTemplateChars} characters", 0);
        return new ChatTemplate(new Parser(Lexer.Tokenize(source), limits).ParseTemplate(), limits, time ?? TimeProvider.System);
    }

    public string Render(ChatConversation conversation)
    {
        var messages = conversation.Messages
            .Select(m => (object?)new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["role"] = m.Role, ["content"] = m.Content })
            .ToList();
        return Render(new Dictionary<string, object?>
        {
            ["messages"] = messages,
            ["add_generation_prompt"] = conversation.AddGenerationPrompt,
            ["bos_token"] = conversation.BosToken,
            ["eos_token"] = conversation.EosToken,
        });
    }

    // Variables are template values: string, long, double, bool, null, List<object?>, OrderedDictionary<string, object?>.
    internal string Render(IReadOnlyDictionary<string, object?> variables)
    {
        var globals = new Scope(null);
        foreach (var (name, value) in variables) globals.Set(name, value);
        return new Evaluator(_limits, _time).Render(_body, globals);
    }
}
