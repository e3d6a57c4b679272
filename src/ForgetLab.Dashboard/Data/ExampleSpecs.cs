using System.Reflection;

namespace ForgetLab.Dashboard.Data;

/// <summary>The repo's examples/*.yaml, embedded at build time: what the Submit page starts from.</summary>
public static class ExampleSpecs
{
    private const string Prefix = "examples/";

    /// <summary>Example name (file name without .yaml) → spec text, quickstart first.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = Load();

    private static Dictionary<string, string> Load()
    {
        var assembly = typeof(ExampleSpecs).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            // The quickstart itself first ("quickstart-llama.yaml" sorts before "quickstart.yaml" by resource name), then its variants.
            .OrderBy(n => n == Prefix + "quickstart.yaml" ? 0 : n.Contains("quickstart", StringComparison.Ordinal) ? 1 : 2).ThenBy(n => n, StringComparer.Ordinal)
            .ToDictionary(n => n[Prefix.Length..^".yaml".Length], n => Read(assembly, n));
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
