using ForgetLab.Lab.Model;

namespace ForgetLab.Lab.Peft;

/// <summary>PEFT's <c>target_modules</c> rule, for the methods that wrap projections by name.</summary>
public static class ModuleTargets
{
    /// <summary>A layer matches a module name equal to its path or to a dotted tail of it (<c>attn.c_proj</c>).</summary>
    public static bool Matches(string layerPath, IEnumerable<string> modules) =>
        modules.Any(m => layerPath == m || layerPath.EndsWith("." + m, StringComparison.Ordinal));

    /// <summary>The model's projections that match, in model order; none is an error naming the list.</summary>
    public static List<(string Path, Projection Layer)> Select(GptModel model, IReadOnlyList<string> modules)
    {
        var targets = model.Projections().Where(l => Matches(l.Path, modules)).ToList();
        if (targets.Count == 0)
            throw new ArgumentException($"No layer matches target_modules [{string.Join(", ", modules)}].");
        return targets;
    }
}
