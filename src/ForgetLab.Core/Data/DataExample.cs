namespace ForgetLab.Core.Data;

/// <summary>One line of a data file, with the line number every later error names.</summary>
public abstract record DataExample(int Line);
