using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ForgetLab.Server.Apis;

/// <summary>
/// Turns a grain's <see cref="Reply{T}"/> into HTTP: Ok → 200 (or what the caller builds),
/// NotFound → 404, Forbidden → 403, Conflict → 409 as ProblemDetails, Invalid → 400 validation
/// problem whose errors are keyed by field path and name the line.
/// </summary>
public static class ReplyResults
{
    /// <summary>Field path used for problems with the document as a whole (malformed YAML, empty body).</summary>
    public const string DocumentPath = "(document)";

    public static Results<Ok<T>, ProblemHttpResult> ToHttp<T>(this Reply<T> reply) =>
        reply.Status == ReplyStatus.Ok ? TypedResults.Ok(reply.Value!) : reply.Failure();

    public static Results<Ok<TOut>, ProblemHttpResult> ToHttp<T, TOut>(this Reply<T> reply, Func<T, TOut> map) =>
        reply.Status == ReplyStatus.Ok ? TypedResults.Ok(map(reply.Value!)) : reply.Failure();

    /// <summary>The answer for a reply that is not Ok.</summary>
    public static ProblemHttpResult Failure<T>(this Reply<T> reply) => reply.Status switch
    {
        ReplyStatus.Invalid => Invalid(reply.Errors),
        ReplyStatus.NotFound => Problem(StatusCodes.Status404NotFound, "Not Found", reply.Error),
        ReplyStatus.Forbidden => Problem(StatusCodes.Status403Forbidden, "Forbidden", reply.Error),
        ReplyStatus.Conflict => Problem(StatusCodes.Status409Conflict, "Conflict", reply.Error),
        _ => throw new InvalidOperationException($"Reply status {reply.Status} is not a failure."),
    };

    public static ProblemHttpResult Problem(int status, string title, string? detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    public static ProblemHttpResult NotFound(string what) => Problem(StatusCodes.Status404NotFound, "Not Found", $"{what} not found");

    /// <summary>
    /// 400 with <c>errors</c> keyed by field path ("line 12: must be …") and <c>fieldErrors</c>
    /// listing each problem's line, path and message as the spec loader reported them.
    /// </summary>
    public static ProblemHttpResult Invalid(ImmutableArray<FieldError> errors)
    {
        var byPath = errors
            .GroupBy(e => e.Path.Length == 0 ? DocumentPath : e.Path)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Line > 0 ? $"line {e.Line}: {e.Message}" : e.Message).ToArray());
        var problem = new HttpValidationProblemDetails(byPath)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is invalid",
            Detail = (errors.Length == 1 ? "1 problem" : $"{errors.Length} problems") + "; nothing was stored",
        };
        problem.Extensions["fieldErrors"] = errors
            .Select(e => new { line = e.Line, path = e.Path.Length == 0 ? DocumentPath : e.Path, message = e.Message })
            .ToArray();
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult Invalid(string path, string message) => Invalid([new FieldError(0, path, message)]);
}
