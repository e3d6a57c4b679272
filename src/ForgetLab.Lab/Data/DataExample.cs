using ForgetLab.Core.ChatTemplates;

namespace ForgetLab.Lab.Data;

/// <summary>One line of a data file, with the line number every later error names.</summary>
public abstract record DataExample(int Line);

/// <summary><c>{"prompt", "completion"}</c>.</summary>
public sealed record PromptCompletionExample(int Line, string Prompt, string Completion) : DataExample(Line);

/// <summary><c>{"messages": [{"role", "content"}, …]}</c>.</summary>
public sealed record MessagesExample(int Line, IReadOnlyList<ChatMessage> Messages) : DataExample(Line);

/// <summary><c>{"text"}</c>.</summary>
public sealed record TextExample(int Line, string Text) : DataExample(Line);
