namespace ForgetLab.Core.ChatTemplates;

/// <summary>
/// A chat template that cannot be parsed or rendered: a syntax error, a Jinja construct outside the supported
/// subset (named in the message), a limit reached, or <c>raise_exception</c> called by the template itself.
/// </summary>
public sealed class ChatTemplateException(string reason, int line)
    : Exception(line > 0 ? $"chat template line {line}: {reason}" : $"chat template: {reason}")
{
    /// <summary>Why, without the line prefix.</summary>
    public string Reason { get; } = reason;

    /// <summary>1-based line of the template the error is about; 0 when it concerns no line (input data, size).</summary>
    public int Line { get; } = line;
}
