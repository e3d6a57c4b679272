using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ForgetLab.Core.Specs;

/// <summary>
/// Reads a YAML text's parse events under <see cref="SpecLimits"/>. YamlDotNet's parser is
/// iterative but its representation model recurses once per nesting level, so a text of 50,000
/// '[' overflowed the stack there; here depth, node count (an alias counts as the nodes it
/// repeats) and scalar length are counted event by event, and the first limit crossed stops the
/// read. The events are then replayed into the tree (<see cref="ReplayedEvents"/>).
/// </summary>
internal static class BoundedYamlEvents
{
    /// <summary>The events, or null with the problem recorded (a limit crossed or malformed YAML).</summary>
    public static List<ParsingEvent>? Read(string yaml, SpecErrorList errors)
    {
        var (events, line, problem) = Read(yaml, "the spec");
        if (events is null) errors.Add(line, "", problem!);
        return events;
    }

    /// <summary>
    /// The events, or null with the line and the problem (a limit crossed or malformed YAML); <paramref name="what"/>
    /// names the text in the size message ("the spec", "the file").
    /// </summary>
    public static (List<ParsingEvent>? Events, int Line, string? Problem) Read(string yaml, string what)
    {
        if (yaml.Length > SpecLimits.MaxChars)
            return (null, 1, $"{what} has {yaml.Length} characters; the limit is {SpecLimits.MaxChars} ({SpecLimits.MaxChars / 1024} KiB)");

        var parser = new LineTrackingParser(new Parser(new StringReader(yaml)));
        var events = new List<ParsingEvent>();
        var counter = new NodeCounter();
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                if (counter.Add(current) is { } crossed) return (null, (int)current.Start.Line, crossed);
                events.Add(current);
            }
        }
        catch (YamlException e)
        {
            return (null, (int)e.Start.Line, SpecLoader.ParserMessage(e));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some unterminated flow collections; the
            // last event it parsed is the best line we have.
            return (null, parser.LastLine, "malformed YAML: unterminated or invalid structure after this line");
        }

        return (events, 0, null);
    }

    /// <summary>Depth and expanded size so far; an anchored node's size is kept for the aliases that repeat it.</summary>
    private sealed class NodeCounter
    {
        private readonly Stack<(AnchorName Anchor, long NodesBefore)> open = new();
        private readonly Dictionary<AnchorName, long> anchored = [];
        private long nodes;

        /// <summary>Null while within the limits; otherwise the message naming the limit crossed.</summary>
        public string? Add(ParsingEvent e)
        {
            switch (e)
            {
                case Scalar scalar:
                    if (scalar.Value.Length > SpecLimits.MaxScalarChars)
                        return $"a value of {scalar.Value.Length} characters; the limit is {SpecLimits.MaxScalarChars} per value";
                    Remember(scalar.Anchor, 1);
                    return Count(1);
                case SequenceStart or MappingStart:
                    if (open.Count >= SpecLimits.MaxDepth)
                        return $"lists and mappings nest deeper than the limit of {SpecLimits.MaxDepth} levels";
                    open.Push((((NodeEvent)e).Anchor, nodes));
                    return Count(1);
                case SequenceEnd or MappingEnd when open.Count > 0:
                    var (anchor, before) = open.Pop();
                    Remember(anchor, nodes - before);
                    return null;
                case AnchorAlias alias:
                    // YAML requires the anchor to come first; a forward or self reference would let a tree contain itself.
                    return anchored.TryGetValue(alias.Value, out var size)
                        ? Count(size)
                        : $"alias '*{alias.Value}' refers to no anchor defined before it";
                case DocumentStart:
                    anchored.Clear();
                    return null;
                default:
                    return null;
            }
        }

        private void Remember(AnchorName anchor, long size)
        {
            if (!anchor.IsEmpty) anchored[anchor] = size;
        }

        private string? Count(long size)
        {
            nodes += size;
            return nodes > SpecLimits.MaxNodes
                ? $"more than the limit of {SpecLimits.MaxNodes} values, lists and mappings (aliases count as what they repeat)"
                : null;
        }
    }
}
