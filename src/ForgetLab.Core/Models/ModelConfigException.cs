namespace ForgetLab.Core.Models;

/// <summary>
/// A <c>config.json</c> that cannot be used: missing, mistyped or contradictory fields. It keeps the file and the
/// field apart (the field empty when the file as a whole is at fault) so an upload is refused at that field.
/// <see cref="HfConfig.Read"/> turns it into the <see cref="InvalidDataException"/> the lab's loaders throw.
/// </summary>
public sealed class ModelConfigException(string file, string field, string problem, Exception? inner = null)
    : FormatException(field.Length > 0 ? $"{file}: {field}: {problem}" : $"{file}: {problem}", inner)
{
    public string File { get; } = file;

    /// <summary>The field, dotted for nested ones (<c>rope_scaling.factor</c>); empty for the file as a whole.</summary>
    public string Field { get; } = field;

    public string Problem { get; } = problem;
}
