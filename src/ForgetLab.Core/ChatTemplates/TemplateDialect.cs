namespace ForgetLab.Core.ChatTemplates;

/// <summary>
/// The Jinja environment a template is rendered in. Hugging Face chat templates and lm-evaluation-harness prompt
/// templates are the same language under different settings, and the settings change the output, so the one
/// renderer takes them as data rather than growing a second copy.
/// </summary>
/// <param name="TrimBlocks">Jinja's <c>trim_blocks</c>: the first newline after a block or comment tag goes.</param>
/// <param name="LStripBlocks">Jinja's <c>lstrip_blocks</c>: spaces and tabs before a block tag at a line's start go.</param>
/// <param name="KeepTrailingNewline">Jinja's <c>keep_trailing_newline</c>.</param>
/// <param name="StrictUndefined">Jinja's <c>StrictUndefined</c>: using a missing name, key or attribute (printing, testing its truth, iterating, reading from it) is an error; only <c>is defined</c> and <c>default</c> may look at it.</param>
/// <param name="PythonValues">Values print as Python's <c>str()</c> does (<c>None</c>, <c>True</c>, <c>['a', 'b']</c>, <c>1.0</c>), as Python's Jinja prints them; otherwise as the chat-template reference renderer does (nothing, <c>true</c>, JSON).</param>
/// <param name="RegexReplace">The <c>regex_replace(pattern, repl, count=0)</c> filter lm-evaluation-harness registers (Python's <c>re.sub</c>).</param>
internal sealed record TemplateDialect(
    bool TrimBlocks,
    bool LStripBlocks,
    bool KeepTrailingNewline,
    bool StrictUndefined,
    bool PythonValues,
    bool RegexReplace)
{
    /// <summary>How transformers renders <c>chat_template</c> (compared against <c>@huggingface/jinja</c>).</summary>
    public static TemplateDialect Transformers { get; } = new(true, true, false, false, false, false);

    /// <summary>lm-evaluation-harness's <c>utils.env</c>: <c>Environment(undefined=StrictUndefined, keep_trailing_newline=True)</c> plus <c>regex_replace</c>.</summary>
    public static TemplateDialect LmEval { get; } = new(false, false, true, true, true, true);
}
