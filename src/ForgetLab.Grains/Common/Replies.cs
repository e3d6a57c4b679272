using System.Collections.Immutable;
using ForgetLab.Contracts.Common;

namespace ForgetLab.Grains.Common;

/// <summary>Builds <see cref="Reply{T}"/> values, so every grain and the server's application layer word their answers the same way.</summary>
public static class Replies
{
    public static Reply<T> Ok<T>(T value) => new(ReplyStatus.Ok, value, null, []);

    /// <summary>The answer for a missing resource and for another tenant's: the two must look the same.</summary>
    public static Reply<T> NotFound<T>(string what) => new(ReplyStatus.NotFound, default, $"{what} not found", []);

    public static Reply<T> Forbidden<T>(TenantRole needed) =>
        new(ReplyStatus.Forbidden, default, $"this needs the {RoleName(needed)} role", []);

    public static Reply<T> Invalid<T>(ImmutableArray<FieldError> errors) =>
        new(ReplyStatus.Invalid, default, errors.Length == 1 ? errors[0].Message : $"{errors.Length} problems", errors);

    public static Reply<T> Invalid<T>(string path, string message) => Invalid<T>([new FieldError(0, path, message)]);

    public static Reply<T> Conflict<T>(string message) => new(ReplyStatus.Conflict, default, message, []);

    /// <summary>Carries a failed reply over to another value type.</summary>
    public static Reply<T> As<T, TFrom>(Reply<TFrom> failed) => new(failed.Status, default, failed.Error, failed.Errors);

    public static string RoleName(TenantRole role) => role switch
    {
        TenantRole.PlatformAdmin => "platform-admin",
        TenantRole.TenantAdmin => "tenant-admin",
        TenantRole.Member => "member",
        _ => "viewer",
    };
}
