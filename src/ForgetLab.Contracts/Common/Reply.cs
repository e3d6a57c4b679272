using System.Collections.Immutable;

namespace ForgetLab.Contracts.Common;

/// <summary>
/// Answer to a tenant-facing call: a status, the value when <see cref="ReplyStatus.Ok"/>, a message
/// otherwise, and field errors for <see cref="ReplyStatus.Invalid"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.Reply`1")]
public sealed record Reply<T>(
    [property: Id(0)] ReplyStatus Status,
    [property: Id(1)] T? Value,
    [property: Id(2)] string? Error,
    [property: Id(3)] ImmutableArray<FieldError> Errors);
