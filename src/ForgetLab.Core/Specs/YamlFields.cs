using YamlDotNet.RepresentationModel;

namespace ForgetLab.Core.Specs;

/// <summary>
/// One YAML mapping of a spec, seen as named fields at a path ("grid.method[1]"): reports unknown
/// and missing fields and reads typed values. Getters return the fallback when a field is absent
/// and null when it is present but unusable (the error is already recorded).
/// </summary>
internal sealed class YamlFields
{
    private readonly Dictionary<string, (YamlNode Key, YamlNode Value)> fields = new(StringComparer.Ordinal);
    private readonly SpecErrorList errors;

    private YamlFields(YamlMappingNode node, string path, SpecErrorList errors)
    {
        this.errors = errors;
        Path = path;
        Line = SpecErrorList.LineOf(node);
        foreach (var (key, value) in node.Children)
        {
            if (YamlValues.Text(key) is { } name) fields[name] = (key, value);
            else errors.Add(key, path, $"expected a field name, got {YamlValues.Describe(key)}");
        }
    }

    public string Path { get; }

    public int Line { get; }

    public IEnumerable<string> Names => fields.Keys;

    public static YamlFields? Open(YamlNode node, string path, SpecErrorList errors)
    {
        if (node is YamlMappingNode map) return new YamlFields(map, path, errors);
        errors.Add(node, path, $"expected a mapping, got {YamlValues.Describe(node)}");
        return null;
    }

    public string PathOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public bool Has(string key) => fields.ContainsKey(key);

    public YamlNode? Value(string key) => fields.TryGetValue(key, out var field) ? field.Value : null;

    public int KeyLine(string key) => fields.TryGetValue(key, out var field) ? SpecErrorList.LineOf(field.Key) : Line;

    public void Error(string key, string message) => errors.Add(KeyLine(key), PathOf(key), message);

    /// <summary>Reports every field not in <paramref name="known"/>, suggesting the nearest known name.</summary>
    public void AllowOnly(IReadOnlyList<string> known, Func<string, string?>? explain = null)
    {
        foreach (var name in fields.Keys.Where(n => !known.Contains(n)))
        {
            var message = explain?.Invoke(name)
                ?? $"unknown field {YamlValues.Quote(name)}{NameSuggestion.DidYouMean(name, known)} (expected one of: {string.Join(", ", known)})";
            Error(name, message);
        }
    }

    /// <summary>True when present; otherwise reports it as missing.</summary>
    public bool Require(string key)
    {
        if (Has(key)) return true;
        errors.Add(Line, PathOf(key), "required field is missing");
        return false;
    }

    public YamlFields? Mapping(string key) =>
        Value(key) is { } node ? Open(node, PathOf(key), errors) : null;

    /// <summary>A non-empty list; null (with an error) when it is not a list or is empty.</summary>
    public IReadOnlyList<YamlNode>? List(string key)
    {
        if (Value(key) is not { } node) return null;
        if (node is not YamlSequenceNode list)
        {
            errors.Add(node, PathOf(key), $"expected a list, got {YamlValues.Describe(node)}");
            return null;
        }

        if (list.Children.Count == 0)
        {
            Error(key, "must not be empty");
            return null;
        }

        return list.Children.ToList();
    }

    public int? Int(string key, int fallback, int min, int max) =>
        Value(key) is { } node ? YamlValues.Int(node, PathOf(key), errors, min, max) : fallback;

    public double? Double(string key, double fallback, NumberRange range) =>
        Value(key) is { } node ? YamlValues.Double(node, PathOf(key), errors, range) : fallback;

    public bool? Bool(string key, bool fallback) =>
        Value(key) is { } node ? YamlValues.Bool(node, PathOf(key), errors) : fallback;

    public string? String(string key) =>
        Value(key) is { } node ? YamlValues.String(node, PathOf(key), errors) : null;

    public T? Enum<T>(string key, T fallback, IReadOnlyDictionary<string, T> names) where T : struct =>
        Value(key) is { } node ? YamlValues.Enum(node, PathOf(key), errors, names) : fallback;
}
