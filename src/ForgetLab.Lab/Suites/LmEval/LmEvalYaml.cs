using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using ForgetLab.Core.Specs;
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
    /// <summary>
    /// The merged top-level mapping, each key with the file and line it came from. Every file is read by
    /// <see cref="BoundedYaml"/> (one file's limits) and the include chain is followed by <see cref="YamlIncludes"/>
    /// (each file once, at most <see cref="YamlIncludes.MaxFiles"/>, no cycles).
    /// </summary>
    public static OrderedDictionary<string, (object? Value, string File, int Line)> Load(string path, Func<string, string, string> resolveInclude)
    {
        try
        {
            // Files are known by their full path (a cycle back to the task file is one), and named as the caller gave them.
            var root = Path.GetFullPath(path);
            string Shown(string file) => file == root ? path : file;
            return YamlIncludes.Merge(root, file => ReadOwn(Shown(file), file, resolveInclude), Merged, Shown);
        }
        catch (YamlInputException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }

    // lm-eval loads the last include first, so earlier ones win among includes; the file's own keys win over all.
    private static OrderedDictionary<string, (object?, string, int)> Merged(OrderedDictionary<string, (object?, string, int)> own, IReadOnlyList<OrderedDictionary<string, (object?, string, int)>> includes)
    {
        if (includes.Count == 0) return own;
        var merged = new OrderedDictionary<string, (object?, string, int)>(StringComparer.Ordinal);
        foreach (var included in Enumerable.Reverse(includes))
            foreach (var (k, v) in included) merged[k] = v;
        foreach (var (k, v) in own) merged[k] = v;
        return merged;
    }

    private static (OrderedDictionary<string, (object?, string, int)> Own, int IncludeLine, IReadOnlyList<string> Includes) ReadOwn(string path, string fullPath, Func<string, string, string> resolveInclude)
    {
        YamlStream stream;
        try
        {
            stream = BoundedYaml.Load(BoundedYaml.ReadFile(fullPath), path);
        }
        catch (YamlInputException e)
        {
            throw new InvalidDataException($"{path} (line {e.Line}): not a task file: {e.Reason}.", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new InvalidDataException($"{path}: not a task file: the top level is not a mapping of keys.");

        var own = new OrderedDictionary<string, (object?, string, int)>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = keyNode is YamlScalarNode { Value: { } k } ? k : throw new InvalidDataException($"{path} (line {keyNode.Start.Line}): a key that is not a plain name.");
            own[key] = (Convert(valueNode, path, key, 0), path, (int)keyNode.Start.Line);
        }

        if (!own.Remove("include", out var include)) return (own, 0, []);
        var includes = include.Item1 switch
        {
            string one => [one],
            List<object?> many when many.All(x => x is string) => many.Cast<string>().ToList(),
            _ => throw new InvalidDataException($"{path} (line {include.Item3}): include: expected a file name or a list of them."),
        };
        var folder = Path.GetDirectoryName(fullPath)!;
        return (own, include.Item3, [.. includes.Select(name => Path.GetFullPath(resolveInclude(name, folder)))]);
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
