namespace ForgetLab.Core.Specs;

/// <summary>
/// The capability suites the lab builds from its own worlds; a spec may name these directly.
/// Anything else in a spec's suite list is a path to a suite YAML file.
/// </summary>
public static class BuiltInSuites
{
    public static IReadOnlyList<string> Names { get; } =
    [
        "target",            // the fine-tuning target itself
        "overwritten",       // the original facts the target deliberately changes
        "capitals_recall",
        "capitals_mc",
        "continents_mc",
        "currencies_mc",
        "languages_mc",
        "element_symbols",
        "element_numbers",
        "arithmetic",
        "copying",
        "text_perplexity",
        "kl_to_base",
    ];

    public static bool Contains(string name) => Names.Contains(name, StringComparer.Ordinal);
}
