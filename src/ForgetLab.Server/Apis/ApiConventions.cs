using System.Text.Json;
using System.Text.Json.Serialization;

namespace ForgetLab.Server.Apis;

/// <summary>Serialization, ProblemDetails and OpenAPI shared by every API.</summary>
public static class ApiConventions
{
    public const string Prefix = "/api/v1";

    public static WebApplicationBuilder AddForgetLabApi(this WebApplicationBuilder builder)
    {
        // A body over the size limit is refused while the framework reads it, with no detail of its own.
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            if (c.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge) c.ProblemDetails.Detail ??= RequestLimits.TooLarge(c.HttpContext);
        });
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.MaxDepth = RequestLimits.MaxJsonDepth;
        });
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer<BearerSecurityScheme>());
        return builder;
    }
}
