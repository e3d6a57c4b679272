namespace ForgetLab.Core.Specs;

/// <summary>
/// Thrown when a spec cannot be loaded. Carries every error found, not just the first, so a user
/// fixes a spec in one pass; the message lists them one per line.
/// </summary>
public sealed class SpecValidationException(IReadOnlyList<SpecError> errors)
    : Exception(string.Join('\n', errors))
{
    public IReadOnlyList<SpecError> Errors { get; } = errors;
}
