using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ForgetLab.Lab.Suites.LmEval;

/// <summary>
/// Reads an lm-evaluation-harness task YAML the way lm-eval's <c>load_yaml_config</c> does: PyYAML's typing of
/// plain scalars (YAML 1.1: <c>1.0</c> is a float, <c>yes</c> a boolean, <c>~</c> null), and <c>include:</c>
/// files (relative to the including file) merged under the including file's own keys. <c>!function</c> (Python
/// code) is refused at its key and line; values come back as template values (string, long, double, bool, null,
/// <c>List&lt;object?&gt;</c>, <c>OrderedDictionary&lt;string, object?&gt;</c>).
/// </summary>
internal static partial class LmEvalYaml
{
    private const int MaxIncludeDepth = 8;

    /// <summary>The merged top-level mapping, each key with the file and line it came from.</summary>
    public static OrderedDictionary<string, (object? Value, string File, int Line)> Load(string path, Func<string, string, string> resolveInclude, int depth = 0)
    {
        if (depth > MaxIncludeDepth) throw new InvalidDataException($"{path}: include: more than {MaxIncludeDepth} files deep (an include cycle?).");
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{path} (line {e.Start.Line}): not a task file: malformed YAML.", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new InvalidDataException($"{path}: not a task file: the top level is not a mapping of keys.");

        var own = new OrderedDictionary<string, (object?, string, int)>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = keyNode is YamlScalarNode { Value: { } k } ? k : throw new InvalidDataException($"{path} (line {keyNode.Start.Line}): a key that is not a plain name.");
            own[key] = (Convert(valueNode, path, key, 0), path, (int)keyNode.Start.Line);
        }

        if (!own.Remove("include", out var include)) return own;
        var includes = include.Item1 switch
        {
            string one => [one],
            List<object?> many when many.All(x => x is string) => many.Cast<string>().ToList(),
            _ => throw new InvalidDataException($"{path} (line {include.Item3}): include: expected a file name or a list of them."),
        };
        // lm-eval loads the last include first, so earlier ones win among includes; the file's own keys win over all.
        var merged = new OrderedDictionary<string, (object?, string, int)>(StringComparer.Ordinal);
        foreach (var name in Enumerable.Reverse(includes))
        {
            var included = Load(resolveInclude(name, Path.GetDirectoryName(Path.GetFullPath(path))!), resolveInclude, depth + 1);
            foreach (var (k, v) in included) merged[k] = v;
        }
        foreach (var (k, v) in own) merged[k] = v;
        return merged;
    }

    private static object? Convert(YamlNode node, string path, string key, int depth)
    {
        if (depth > 64) throw new InvalidDataException($"{path} (line {node.Start.Line}): {key}: nested deeper than 64.");
        var tag = node.Tag.IsEmpty || node.Tag.IsNonSpecific ? null : node.Tag.Value;
        if (tag is "!function")
            throw new InvalidDataException($"{path} (line {node.Start.Line}): {key}: '!function' names Python code, which ForgetLab does not run; write the field as a name, a template or a value (for process_docs: preprocess the data file).");
        if (tag is not null && !tag.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal))
            throw new InvalidDataException($"{path} (line {node.Start.Line}): {key}: the YAML tag '{tag}' is not read.");
        switch (node)
        {
            case YamlScalarNode s:
                return s.Style is ScalarStyle.Plain ? Plain(s.Value ?? "") : s.Value ?? "";
            case YamlSequenceNode seq:
                return seq.Children.Select(c => Convert(c, path, key, depth + 1)).ToList();
            case YamlMappingNode map:
                var dict = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (k, v) in map.Children)
                {
                    var name = k is YamlScalarNode { Value: { } n } ? n : throw new InvalidDataException($"{path} (line {k.Start.Line}): {key}: a key that is not a plain name.");
                    dict[name] = Convert(v, path, $"{key}.{name}", depth + 1);
                }
                return dict;
            default:
                throw new InvalidDataException($"{path} (line {node.Start.Line}): {key}: aliases are not read.");
        }
    }

    // PyYAML's implicit resolvers (YAML 1.1) for plain scalars.
    private static object? Plain(string v)
    {
        if (v is "" or "~" or "null" or "Null" or "NULL") return null;
        if (v is "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON") return true;
        if (v is "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF") return false;
        if (IntPattern().IsMatch(v))
        {
            var digits = v.Replace("_", "", StringComparison.Ordinal);
            if (long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return n;
        }
        if (FloatPattern().IsMatch(v) && double.TryParse(v.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        if (v is ".inf" or ".Inf" or ".INF" or "+.inf") return double.PositiveInfinity;
        if (v is "-.inf" or "-.Inf" or "-.INF") return double.NegativeInfinity;
        if (v is ".nan" or ".NaN" or ".NAN") return double.NaN;
        return v;
    }

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9_]*)$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?$")]
    private static partial Regex FloatPattern();
}
