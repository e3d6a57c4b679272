namespace ForgetLab.Core.Data;

/// <summary>
/// A data file the lab refuses: it names the file (as the spec wrote it), the 1-based line (0: the whole file) and
/// the field (empty when the line as a whole is wrong), so the user can go straight to it. Nothing runs after one.
/// </summary>
public sealed class DataFileException(string file, int line, string field, string reason)
    : FormatException(Format(file, line, field, reason))
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public string Field { get; } = field;

    public string Reason { get; } = reason;

    private static string Format(string file, int line, string field, string reason) =>
        (line > 0 ? $"{file}:{line}" : file) + (field.Length > 0 ? $": {field}" : "") + $": {reason}";
}
