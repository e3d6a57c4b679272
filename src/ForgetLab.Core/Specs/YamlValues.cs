using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ForgetLab.Core.Specs;

/// <summary>
/// Converts one YAML node to a typed value, reporting a wrong type or an out-of-range value
/// against its path. Each method returns null when the value is unusable.
/// </summary>
internal static class YamlValues
{
    public static int? Int(YamlNode node, string path, SpecErrorList errors, int min, int max)
    {
        if (Text(node) is not { } text)
        {
            errors.Add(node, path, $"expected an integer, got {Describe(node)}");
            return null;
        }

        // 1e6 is a fine way to write a million steps; 1.5 is not a step count.
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
                || !double.IsFinite(real) || real != Math.Floor(real) || Math.Abs(real) > long.MaxValue)
            {
                errors.Add(node, path, $"expected an integer, got {Describe(node)}");
                return null;
            }

            value = (long)real;
        }

        if (value < min || value > max)
        {
            errors.Add(node, path, $"must be between {min} and {max}");
            return null;
        }

        return (int)value;
    }

    public static double? Double(YamlNode node, string path, SpecErrorList errors, NumberRange range)
    {
        if (Text(node) is not { } text
            || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value))
        {
            errors.Add(node, path, $"expected a number, got {Describe(node)}");
            return null;
        }

        if (range.Check(value) is { } problem)
        {
            errors.Add(node, path, problem);
            return null;
        }

        return value;
    }

    public static bool? Bool(YamlNode node, string path, SpecErrorList errors)
    {
        switch (Text(node))
        {
            case "true" or "True" or "TRUE": return true;
            case "false" or "False" or "FALSE": return false;
            default:
                errors.Add(node, path, $"expected true or false, got {Describe(node)}");
                return null;
        }
    }

    public static string? String(YamlNode node, string path, SpecErrorList errors)
    {
        if (Text(node) is { } text) return text;
        errors.Add(node, path, $"expected a string, got {Describe(node)}");
        return null;
    }

    public static T? Enum<T>(YamlNode node, string path, SpecErrorList errors, IReadOnlyDictionary<string, T> names)
        where T : struct
    {
        if (String(node, path, errors) is not { } text) return null;
        if (names.TryGetValue(text, out var value)) return value;
        errors.Add(node, path, UnknownValue(text, [.. names.Keys]));
        return null;
    }

    public static string UnknownValue(string text, IReadOnlyCollection<string> known) =>
        $"unknown value {Quote(text)}{NameSuggestion.DidYouMean(text, known)} (expected one of: {string.Join(", ", known)})";

    /// <summary>The scalar's text; null for a list, a mapping or a YAML null (~, null, nothing).</summary>
    public static string? Text(YamlNode node) =>
        node is YamlScalarNode scalar && !IsNull(scalar) ? scalar.Value : null;

    public static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        YamlScalarNode scalar when IsNull(scalar) => "nothing",
        YamlScalarNode scalar => Quote(scalar.Value!),
        _ => "an unsupported value",
    };

    /// <summary>The text in quotes, shortened when long: an error message never echoes a whole hostile value.</summary>
    public static string Quote(string text) =>
        text.Length <= QuotedChars ? $"'{text}'" : $"'{text[..QuotedChars]}…' ({text.Length} characters)";

    private const int QuotedChars = 80;

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Value is null
        || (scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL");
}
