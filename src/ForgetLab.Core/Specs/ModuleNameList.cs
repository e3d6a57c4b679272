using YamlDotNet.RepresentationModel;

namespace ForgetLab.Core.Specs;

/// <summary>
/// Reads a PEFT-style list of module names (<c>target_modules</c>, <c>feedforward_modules</c>): a
/// list of distinct names, or one of the method's preset names.
/// </summary>
internal static class ModuleNameList
{
    /// <returns>The names; <paramref name="fallback"/> when the field is absent; null after an error.</returns>
    public static IReadOnlyList<string>? Read(
        YamlFields m, string key, SpecErrorList errors, IReadOnlyList<string> fallback,
        IReadOnlyDictionary<string, IReadOnlyList<string>> presets)
    {
        if (m.Value(key) is YamlScalarNode presetNode && YamlValues.Text(presetNode) is { } preset)
        {
            if (presets.TryGetValue(preset, out var presetModules)) return presetModules;
            errors.Add(presetNode, m.PathOf(key),
                $"unknown preset '{preset}'{NameSuggestion.DidYouMean(preset, [.. presets.Keys])} " +
                $"(expected a list of module names or one of: {string.Join(", ", presets.Keys)})");
            return null;
        }

        if (!m.Has(key)) return fallback;
        var before = errors.Count;
        var list = new List<string>();
        var nodes = m.List(key) ?? [];
        for (var i = 0; i < nodes.Count; i++)
        {
            var path = $"{m.PathOf(key)}[{i}]";
            if (YamlValues.String(nodes[i], path, errors) is not { } module) continue;
            if (list.IndexOf(module) is var first and >= 0)
                errors.Add(nodes[i], path, $"same value as {m.PathOf(key)}[{first}]");
            list.Add(module);
        }

        return errors.Count > before ? null : list;
    }
}
