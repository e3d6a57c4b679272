namespace ForgetLab.Core.Data;

/// <summary><c>{"text"}</c>.</summary>
public sealed record TextExample(int Line, string Text) : DataExample(Line);
