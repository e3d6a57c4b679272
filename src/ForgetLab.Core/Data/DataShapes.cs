namespace ForgetLab.Core.Data;

/// <summary>The names the report and the errors use for a <see cref="DataShape"/>.</summary>
public static class DataShapes
{
    /// <summary>A registered data set's suite header (a ForgetLab suite or an lm-eval task YAML), named under <c>suites</c>.</summary>
    public const string SuiteHeader = "suite_header";

    /// <summary>A registered data set's JSONL file that a suite header names as its items: one JSON object a line, read by the suite.</summary>
    public const string SuiteItems = "suite_items";

    /// <summary>
    /// A registered data set's lm-eval YAML without a <c>task:</c> that another header of the same upload includes
    /// (<c>_default_template_yaml</c>): read only through the tasks that include it.
    /// </summary>
    public const string SuiteInclude = "suite_include";

    /// <summary>A registered data set's Hugging Face <c>tokenizer.json</c>, loaded at upload as the lab loads it (<c>base.tokenizer.path</c>).</summary>
    public const string Tokenizer = "tokenizer";

    /// <summary>The <c>tokenizer_config.json</c> beside a data set's tokenizer files, loaded with each of them.</summary>
    public const string TokenizerConfig = "tokenizer_config";

    /// <summary>A registered data set's Jinja chat template, parsed at upload as the lab parses it (<c>target.chat_template</c>).</summary>
    public const string ChatTemplate = "chat_template";

    public static string Name(DataShape shape) => shape switch
    {
        DataShape.PromptCompletion => "prompt_completion",
        DataShape.Messages => "messages",
        _ => "text",
    };

    /// <summary>The fields a line of the shape holds (all required).</summary>
    public static IReadOnlyList<string> Fields(DataShape shape) => shape switch
    {
        DataShape.PromptCompletion => ["prompt", "completion"],
        DataShape.Messages => ["messages"],
        _ => ["text"],
    };
}
