namespace ForgetLab.Core.ChatTemplates;

/// <summary>
/// Bounds that keep a hostile template from exhausting the stack, the memory or the CPU: a template is user data
/// (it comes with an uploaded model), so parsing and rendering must end, quickly, whatever it says.
/// </summary>
/// <param name="MaxTemplateChars">Longest template source accepted (real ones are a few KiB).</param>
/// <param name="MaxNesting">Deepest nesting of blocks, and of expressions (parentheses, or a chain such as <c>a + b + …</c>), the parser accepts.</param>
/// <param name="MaxOutputChars">Longest output, and longest string any expression may build.</param>
/// <param name="MaxIterations">Most for-loop iterations (summed over all loops) in one render.</param>
public sealed record ChatTemplateLimits(
    int MaxTemplateChars = 256 * 1024,
    int MaxNesting = 100,
    int MaxOutputChars = 4 * 1024 * 1024,
    int MaxIterations = 100_000)
{
    public static ChatTemplateLimits Default { get; } = new();
}
