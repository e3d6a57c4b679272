namespace ForgetLab.Core.Tokenizers;

/// <summary>
/// A tokenizer file that cannot be used: malformed, over a limit, or asking for something ForgetLab does not
/// implement. The message names the file and the field (a JSON path such as <c>model.merges[12]</c>), so an
/// upload is refused with a reason the user can act on.
/// </summary>
public sealed class TokenizerFormatException(string file, string field, string reason)
    : FormatException(field.Length > 0 ? $"{file}: {field}: {reason}" : $"{file}: {reason}")
{
    /// <summary>The file's name (e.g. <c>tokenizer.json</c>).</summary>
    public string File { get; } = file;

    /// <summary>The field, as a JSON path (or a protobuf field name); empty when the file as a whole is at fault.</summary>
    public string Field { get; } = field;

    public string Reason { get; } = reason;
}
