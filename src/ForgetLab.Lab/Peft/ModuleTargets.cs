using ForgetLab.Lab.Model;

namespace ForgetLab.Lab.Peft;

/// <summary>PEFT's <c>target_modules</c> rule, for the methods that wrap projections by name.</summary>
public static class ModuleTargets
{
    /// <summary>A layer matches a module name equal to its path or to a dotted tail of it (<c>attn.c_proj</c>).</summary>
    public static bool Matches(string layerPath, IEnumerable<string> modules) =>
        modules.Any(m => layerPath == m || layerPath.EndsWith("." + m, StringComparison.Ordinal));

    /// <summary>PEFT's keyword for every linear layer but the output head (<c>target_modules: all-linear</c>).</summary>
    public const string AllLinear = "all-linear";

    /// <summary>The model's projections that match, in model order; none is an error naming the list.</summary>
    public static List<(string Path, Projection Layer)> Select(CausalLanguageModel model, IReadOnlyList<string> modules)
    {
        // The LM head is never a Projection here, so all-linear leaves it out as PEFT does.
        var targets = model.Projections().Where(l => modules.Contains(AllLinear) || Matches(l.Path, modules)).ToList();
        if (targets.Count == 0)
            throw new ArgumentException($"No layer matches target_modules [{string.Join(", ", modules)}].");
        return targets;
    }

    /// <summary>
    /// The names PEFT writes to <c>adapter_config.json</c>: as given, or for <c>all-linear</c> the distinct
    /// last path parts of the layers it matched (PEFT expands the keyword the same way before saving).
    /// </summary>
    public static IReadOnlyList<string> Saved(CausalLanguageModel model, IReadOnlyList<string> modules) =>
        modules.Contains(AllLinear)
            ? model.Projections().Select(l => l.Path[(l.Path.LastIndexOf('.') + 1)..]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()
            : modules;
}
