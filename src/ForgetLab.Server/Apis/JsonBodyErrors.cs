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
    public static FieldError Describe(JsonException e)
    {
        var path = e.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : ReplyResults.DocumentPath;
        var line = (int)(e.LineNumber ?? -1) + 1;
        if (e.Message.Contains("maximum configured depth", StringComparison.Ordinal))
            return new FieldError(line, path, $"the JSON nests deeper than the limit of {RequestLimits.MaxJsonDepth} levels");
        if (UnknownProperty().Match(e.Message) is { Success: true } unknown)
            return new FieldError(line, path.Length == 0 ? unknown.Groups[1].Value : path, $"unknown field '{unknown.Groups[1].Value}'");
        if (WrongType().Match(e.Message) is { Success: true } wrong)
            return new FieldError(line, path, $"expected {Expected(wrong.Groups[1].Value)}");
        return new FieldError(line, path, $"malformed JSON: {FirstSentence(e.Message)}");
    }

    private static string Expected(string type) => type switch
    {
        _ when type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) => "an integer",
        _ when type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) => "a number",
        _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when type.Contains("String", StringComparison.Ordinal) => "a string",
        _ when type.Contains("TenantRole", StringComparison.Ordinal) => $"one of {string.Join(", ", Enum.GetNames<TenantRole>())}",
        _ => "an object with the documented fields",
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    [GeneratedRegex("The JSON value could not be converted to ([^.]+(?:\\.[^.\\s]+)*)\\. Path")]
    private static partial Regex WrongType();

    [GeneratedRegex("The JSON property '([^']{0,80})[^']*' could not be mapped")]
    private static partial Regex UnknownProperty();
}
