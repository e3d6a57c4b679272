namespace ForgetLab.Contracts.Common;

/// <summary>One problem with submitted input: line (1-based; 0 when not from a file), field path and message.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.FieldError")]
public sealed record FieldError(
    [property: Id(0)] int Line,
    [property: Id(1)] string Path,
    [property: Id(2)] string Message);
