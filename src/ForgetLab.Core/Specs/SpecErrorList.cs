using YamlDotNet.RepresentationModel;

namespace ForgetLab.Core.Specs;

/// <summary>Collects the errors of one spec file so that all of them are reported together.</summary>
internal sealed class SpecErrorList(string file)
{
    /// <summary>Path shown for problems with the document as a whole (syntax, not a mapping).</summary>
    public const string DocumentPath = "(document)";

    private readonly List<SpecError> errors = [];

    public bool Any => errors.Count > 0;

    public int Count => errors.Count;

    public void Add(int line, string path, string message) =>
        errors.Add(new SpecError(file, line, path.Length == 0 ? DocumentPath : path, message));

    public void Add(YamlNode node, string path, string message) => Add(LineOf(node), path, message);

    public static int LineOf(YamlNode node) => (int)node.Start.Line;

    /// <summary>
    /// In file order; errors on one line keep the order they were found in. At most
    /// <see cref="SpecLimits.MaxErrors"/> are listed, and one last line counts the rest.
    /// </summary>
    public IReadOnlyList<SpecError> Sorted()
    {
        var sorted = errors.OrderBy(e => e.Line).ToList();
        if (sorted.Count <= SpecLimits.MaxErrors) return sorted;
        var listed = sorted.Take(SpecLimits.MaxErrors).ToList();
        listed.Add(new SpecError(file, listed[^1].Line, DocumentPath, $"{sorted.Count - SpecLimits.MaxErrors} more problems not listed (at most {SpecLimits.MaxErrors} are)"));
        return listed;
    }
}
