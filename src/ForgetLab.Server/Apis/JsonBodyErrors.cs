using System.Text.Json;
using System.Text.RegularExpressions;
using ForgetLab.Contracts.Common;

namespace ForgetLab.Server.Apis;

/// <summary>
/// A JSON body's problem as a <see cref="FieldError"/>: the field path (<c>$.priority</c> →
/// <c>priority</c>) and what is wrong in words — a wrong type says the type expected, never .NET's
/// type name; too deep names the limit; an unknown field names the field.
/// </summary>
public static partial class JsonBodyErrors
{
    /// <param name="e">What System.Text.Json reported.</param>
    /// <param name="body">The type the body binds to, to name what a field expects; null when unknown.</param>
    public static FieldError Describe(JsonException e, Type? body)
    {
        var path = e.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : ReplyResults.DocumentPath;
        var line = (int)(e.LineNumber ?? -1) + 1;
        if ($"{e.Message} {e.InnerException?.Message}".Contains("maximum configured depth", StringComparison.Ordinal))
            return new FieldError(line, path, $"the JSON nests deeper than the limit of {RequestLimits.MaxJsonDepth} levels");
        if (UnknownProperty().Match(e.Message) is { Success: true } unknown)
            return new FieldError(line, path, $"unknown field {InputLimits.Quote(unknown.Groups[1].Value)}");
        if (ConvertedTo().Match(e.Message) is { Success: true } converted)
        {
            // The message names the type being read: the body's record (constructor-bound) or the field's own type.
            var named = Type.GetType(converted.Groups[1].Value) ?? typeof(JsonBodyErrors).Assembly.GetType(converted.Groups[1].Value);
            var type = named?.Assembly == typeof(JsonBodyErrors).Assembly && !named.IsEnum
                ? FieldType(named, path)
                : named ?? FieldType(body, path);
            return new FieldError(line, path, $"expected {Expected(type)}");
        }
        return new FieldError(line, path, $"malformed JSON: {FirstSentence(e.Message)}");
    }

    /// <summary>The type of the (top-level) field at <paramref name="path"/>; the API's bodies are flat records.</summary>
    private static Type? FieldType(Type? body, string path) =>
        path == ReplyResults.DocumentPath ? body
        : body?.GetProperties().FirstOrDefault(p => string.Equals(p.Name, path, StringComparison.OrdinalIgnoreCase))?.PropertyType;

    private static string Expected(Type? type) => (Nullable.GetUnderlyingType(type ?? typeof(object)) ?? type) switch
    {
        { } t when t == typeof(int) || t == typeof(long) => "an integer",
        { } t when t == typeof(double) || t == typeof(float) => "a number",
        { } t when t == typeof(bool) => "true or false",
        { } t when t == typeof(string) => "a string",
        { IsEnum: true } t => $"one of {string.Join(", ", Enum.GetNames(t))}",
        _ => "an object with the documented fields",
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    [GeneratedRegex(@"^The JSON value could not be converted to (.+?)\. Path:")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnknownProperty();
}
