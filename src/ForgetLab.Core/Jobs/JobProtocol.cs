using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ForgetLab.Core.Jobs;

/// <summary>
/// The wire of the job protocol: one <see cref="JobEvent"/> per line as a JSON object, its case in
/// <c>event</c> and the protocol's <see cref="Version"/> in <c>v</c>, snake_case fields, statuses and
/// sources as lower-case names. The job writes only these lines on stdout; libraries may print other
/// lines (not JSON objects), which <see cref="Read"/> tells apart from a line that claims to be an event
/// and is not one.
/// </summary>
public static class JobProtocol
{
    /// <summary>Raised when a case or a field changes meaning; a reader refuses lines of another version by name.</summary>
    public const int Version = 1;

    public static JsonSerializerOptions Options { get; } = new()
    {
        // A diverged run's loss is NaN.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // Every field of a case is written (an absent value as null) and required: a line missing one, or with a null
        // where none may be, is malformed, not defaulted.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowOutOfOrderMetadataProperties = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private static readonly IReadOnlyDictionary<Type, string> Names =
        Options.GetTypeInfo(typeof(JobEvent)).PolymorphismOptions!.DerivedTypes.ToDictionary(d => d.DerivedType, d => (string)d.TypeDiscriminator!);

    /// <summary>The <c>event</c> names of every case, in declaration order.</summary>
    public static IReadOnlyList<string> EventNames { get; } =
        [.. Options.GetTypeInfo(typeof(JobEvent)).PolymorphismOptions!.DerivedTypes.Select(d => (string)d.TypeDiscriminator!)];

    /// <summary>A case's <c>event</c> name.</summary>
    public static string NameOf(Type eventType) => Names[eventType];

    public static string ToJsonLine(JobEvent e) => JsonSerializer.Serialize(e, Options);

    /// <summary>
    /// One line of a job's stdout: an event; or not meant as one (blank, or not a JSON object: library noise);
    /// or a JSON object that is not a valid event of this version, with the reason.
    /// </summary>
    public static JobLine Read(string? line)
    {
        var text = line?.Trim();
        if (string.IsNullOrEmpty(text) || !text.StartsWith('{')) return JobLine.Noise;
        string? name;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (!root.TryGetProperty("event", out var kind) || kind.ValueKind != JsonValueKind.String)
                return JobLine.Malformed("a JSON object without an \"event\" name");
            name = kind.GetString();
            if (!EventNames.Contains(name))
                return JobLine.Malformed($"unknown event '{name}' (protocol version {Version} has {string.Join(", ", EventNames)})");
            if (!root.TryGetProperty("v", out var v) || !v.TryGetInt32(out var version))
                return JobLine.Malformed($"a '{name}' event without its protocol version \"v\"");
            if (version != Version)
                return JobLine.Malformed($"a '{name}' event of protocol version {version}; this reader speaks version {Version}");
        }
        catch (JsonException e)
        {
            return JobLine.Malformed($"not JSON: {e.Message}");
        }

        try
        {
            return JsonSerializer.Deserialize<JobEvent>(text, Options) is { } e ? JobLine.Of(e) : JobLine.Malformed("a null event");
        }
        catch (JsonException e)
        {
            return JobLine.Malformed($"a '{name}' event with a missing or invalid field: {e.Message}");
        }
    }
}
