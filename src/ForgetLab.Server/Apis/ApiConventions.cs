using System.Text.Json;
using System.Text.Json.Serialization;

namespace ForgetLab.Server.Apis;

/// <summary>Serialization, ProblemDetails and OpenAPI shared by every API.</summary>
public static class ApiConventions
{
    public const string Prefix = "/api/v1";

    public static WebApplicationBuilder AddForgetLabApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
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
