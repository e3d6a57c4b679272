using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.WebUtilities;

namespace ForgetLab.Server.Apis;

/// <summary>
/// Answers a request the framework could not bind: a JSON body of the wrong shape or type is a
/// 400 naming the field (<see cref="JsonBodyErrors"/>), a body over the size limit a 413 naming
/// the limit. Everything else goes on to the default handler.
/// </summary>
public sealed class BadRequestAnswer : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || context.Response.HasStarted) return false;

        var result = bad switch
        {
            { StatusCode: StatusCodes.Status413PayloadTooLarge } => ReplyResults.Problem(StatusCodes.Status413PayloadTooLarge, "Payload Too Large", RequestLimits.TooLarge(context)),
            { InnerException: JsonException json } => ReplyResults.Invalid([JsonBodyErrors.Describe(json, context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAcceptsMetadata>().Select(a => a.RequestType).LastOrDefault(t => t is not null))]),
            { StatusCode: StatusCodes.Status400BadRequest } => ReplyResults.Invalid(ReplyResults.DocumentPath, bad.Message),
            _ => ReplyResults.Problem(bad.StatusCode, ReasonPhrases.GetReasonPhrase(bad.StatusCode), bad.Message),
        };
        await result.ExecuteAsync(context);
        return true;
    }
}
