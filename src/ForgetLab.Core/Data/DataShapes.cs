namespace ForgetLab.Core.Data;

/// <summary>The names the report and the errors use for a <see cref="DataShape"/>.</summary>
public static class DataShapes
{
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
