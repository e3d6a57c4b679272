using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ForgetLab.Core.Specs;

/// <summary>
/// Reads a lab spec from YAML. Every problem is reported with file, line and field path, all in
/// one <see cref="SpecValidationException"/>, so a spec is fixed in one round.
/// </summary>
public static partial class SpecLoader
{
    /// <summary>
    /// Loads a spec file. Messages name the file as <paramref name="path"/> was given; suite files
    /// and model folders resolve relative to the spec's folder.
    /// A missing spec file is a <see cref="FileNotFoundException"/>, not a validation error.
    /// </summary>
    public static LabSpec LoadFile(string path)
    {
        // A file bigger than any spec is refused before it is read whole.
        if (new FileInfo(path) is { Exists: true, Length: > SpecLimits.MaxChars * 4L } big)
            throw new SpecValidationException([new SpecError(path, 1, SpecErrorList.DocumentPath, $"the file has {big.Length} bytes; a spec is limited to {SpecLimits.MaxChars} characters ({SpecLimits.MaxChars / 1024} KiB)")]);
        var yaml = File.ReadAllText(path);
        return Parse(yaml, path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <param name="yaml">The spec text.</param>
    /// <param name="sourceName">What messages call the spec (usually its path as the user typed it).</param>
    /// <param name="baseDirectory">Where relative paths in the spec resolve; null means the current directory.</param>
    public static LabSpec Parse(string yaml, string sourceName, string? baseDirectory) =>
        ParseUnder(yaml, sourceName, SpecFiles.Local(baseDirectory ?? Directory.GetCurrentDirectory()));

    /// <param name="yaml">The spec text.</param>
    /// <param name="sourceName">What messages call the spec.</param>
    /// <param name="files">What the spec may name as a file: <see cref="SpecFiles.ForPlatform"/> for a tenant's spec.</param>
    public static LabSpec ParseUnder(string yaml, string sourceName, SpecFiles files)
    {
        var errors = new SpecErrorList(sourceName);
        if (BoundedYamlEvents.Read(yaml, errors) is not { } events) throw new SpecValidationException(errors.Sorted());

        var stream = new YamlStream();
        try
        {
            stream.Load(new ReplayedEvents(events));
        }
        catch (YamlException e)
        {
            errors.Add((int)e.Start.Line, "", ParserMessage(e));
            throw new SpecValidationException(errors.Sorted());
        }
        catch (ArgumentException)
        {
            // YamlDotNet's tree builder refuses some event sequences its parser accepts (found by
            // SpecFuzzTests: an anchor on a document's start and a stray key); the text is not a spec.
            errors.Add(1, "", "malformed YAML: the document's structure cannot be read");
            throw new SpecValidationException(errors.Sorted());
        }

        if (stream.Documents.Count == 0 || YamlValues.Text(stream.Documents[0].RootNode) is "")
        {
            errors.Add(1, "", "the spec is empty");
            throw new SpecValidationException(errors.Sorted());
        }

        if (stream.Documents.Count > 1)
            errors.Add(stream.Documents[1].RootNode, "", $"expected one YAML document, found {stream.Documents.Count}");

        var reader = new SpecReader(errors, files);
        var spec = reader.Read(stream.Documents[0].RootNode);
        if (errors.Any || spec is null)
            throw new SpecValidationException(errors.Sorted());
        return spec;
    }

    // YamlDotNet prefixes "(Line: 3, Col: 1, Idx: 20) - (Line: 3, Col: 5, Idx: 24): "; the line is reported separately.
    internal static string ParserMessage(YamlException e)
    {
        var message = MarkPrefix().Replace(e.Message, "").Trim();
        return message.Length == 0 ? "malformed YAML" : $"malformed YAML: {message}";
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex MarkPrefix();
}
