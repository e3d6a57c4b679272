namespace ForgetLab.Core.Data;

/// <summary><c>{"prompt", "completion"}</c>.</summary>
public sealed record PromptCompletionExample(int Line, string Prompt, string Completion) : DataExample(Line);
