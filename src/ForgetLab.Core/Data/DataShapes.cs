namespace ForgetLab.Core.Data;

/// <summary>The names the report and the errors use for a <see cref="DataShape"/>.</summary>
public static class DataShapes
{
    /// <summary>A registered data set's suite header (a ForgetLab suite or an lm-eval task YAML), named under <c>suites</c>.</summary>
    public const string SuiteHeader = "suite_header";

    /// <summary>A registered data set's JSONL file that a suite header names as its items: one JSON object a line, read by the suite.</summary>
    public const string SuiteItems = "suite_items";

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
