namespace ForgetLab.Core.Specs;

/// <summary>
/// One problem found in a spec: where it is (file as the user typed it, 1-based line, field path
/// with dots and [i] indices) and what is wrong. <see cref="ToString"/> is the line users see.
/// </summary>
public sealed record SpecError(string File, int Line, string Path, string Message)
{
    public override string ToString() => $"{File}:{Line} {Path}: {Message}";
}
