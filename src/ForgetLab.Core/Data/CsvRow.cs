namespace ForgetLab.Core.Data;

/// <summary>One CSV row: the file and line it starts on, and its values in the table's column order (long, double, bool or string).</summary>
public sealed record CsvRow(string File, int Line, IReadOnlyList<object> Values);
