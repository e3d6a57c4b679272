using ForgetLab.Core.ChatTemplates;

namespace ForgetLab.Core.Data;

/// <summary><c>{"messages": [{"role", "content"}, …]}</c>.</summary>
public sealed record MessagesExample(int Line, IReadOnlyList<ChatMessage> Messages) : DataExample(Line);
