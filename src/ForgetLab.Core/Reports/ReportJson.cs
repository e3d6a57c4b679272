using System.Text.Json;
using System.Text.Json.Serialization;

namespace ForgetLab.Core.Reports;

/// <summary>
/// The one place the report's JSON shape is configured: snake_case names, enums as lower-case
/// strings. Readers and writers must share these options or the contract drifts.
/// </summary>
public static class ReportJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string Serialize(ForgettingReport report) => JsonSerializer.Serialize(report, Options);

    public static ForgettingReport Deserialize(string json) =>
        JsonSerializer.Deserialize<ForgettingReport>(json, Options)
        ?? throw new JsonException("The report JSON is null.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            WriteIndented = true,
            // A diverged run has NaN losses; writing them as "NaN" beats failing to write the report.
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            RespectNullableAnnotations = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
