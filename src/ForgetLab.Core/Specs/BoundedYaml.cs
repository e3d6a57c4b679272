using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ForgetLab.Core.Specs;

/// <summary>
/// The one way ForgetLab reads YAML it did not write: specs, ForgetLab suite headers and lm-evaluation-harness task
/// files, in the lab, on the worker and at the server's upload checks. The text is tokenised under
/// <see cref="SpecLimits"/> (characters, nesting depth, nodes with aliases counted as what they repeat, scalar length)
/// by <see cref="BoundedYamlEvents"/> before any tree is built, so no file can overflow the stack (YamlDotNet's tree
/// builder and deserializer recurse once per level: 50,000 '[' end the process) or expand an alias bomb. A refusal is a
/// <see cref="YamlInputException"/> naming the file, the line and the limit crossed.
/// </summary>
public static class BoundedYaml
{
    /// <summary>The tree of <paramref name="text"/>; messages call it <paramref name="name"/>.</summary>
    public static YamlStream Load(string text, string name)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(Events(text, name));
        }
        catch (YamlException e)
        {
            throw new YamlInputException(name, (int)e.Start.Line, SpecLoader.ParserMessage(e));
        }
        catch (ArgumentException)
        {
            // YamlDotNet's tree builder refuses some event sequences its parser accepts (a repeated key, an anchor on a
            // document's start and a stray key): the text is not a document ForgetLab reads.
            throw new YamlInputException(name, 1, "malformed YAML: the document's structure cannot be read (a key given twice?)");
        }
        return stream;
    }

    /// <summary>Reads <paramref name="path"/> (messages name it as given), refusing a file far over the limit before reading it.</summary>
    public static YamlStream LoadFile(string path) => Load(ReadFile(path), path);

    /// <summary>The checked parse events of <paramref name="text"/>, for YamlDotNet's deserializer.</summary>
    public static IParser Events(string text, string name)
    {
        var (events, line, problem) = BoundedYamlEvents.Read(text, "the file");
        return events is null ? throw new YamlInputException(name, line, problem!) : new ReplayedEvents(events);
    }

    /// <summary>The text of <paramref name="path"/>; a file of more bytes than <see cref="SpecLimits.MaxChars"/> characters could take is refused unread.</summary>
    public static string ReadFile(string path)
    {
        if (new FileInfo(path) is { Exists: true, Length: > SpecLimits.MaxChars * 4L } big)
            throw new YamlInputException(path, 1, $"the file has {big.Length} bytes; a YAML file is limited to {SpecLimits.MaxChars} characters ({SpecLimits.MaxChars / 1024} KiB)");
        return File.ReadAllText(path);
    }
}

/// <summary>YAML that ForgetLab refuses to read: malformed, over one of <see cref="SpecLimits"/>, or an include chain it does not follow.</summary>
public sealed class YamlInputException(string file, int line, string reason)
    : FormatException($"{file}{(line > 0 ? $" (line {line})" : "")}: {reason}.")
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public string Reason { get; } = reason;
}
