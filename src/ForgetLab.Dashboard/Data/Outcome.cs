using ForgetLab.Contracts.Common;

namespace ForgetLab.Dashboard.Data;

/// <summary>A value, or the message and field errors that say why there is none.</summary>
public sealed record Outcome<T>(T? Value, string? Error, IReadOnlyList<FieldError> Errors)
{
    public bool Succeeded => Error is null && Errors.Count == 0;

    public static Outcome<T> Ok(T value) => new(value, null, []);

    public static Outcome<T> Failed(string error, IReadOnlyList<FieldError>? errors = null) => new(default, error, errors ?? []);
}
