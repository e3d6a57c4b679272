using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ForgetLab.Core.Specs;

/// <summary>Remembers the line of the last event parsed, to place errors the parser reports without one.</summary>
internal sealed class LineTrackingParser(IParser inner) : IParser
{
    public int LastLine { get; private set; } = 1;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        var moved = inner.MoveNext();
        if (moved && inner.Current is { } current) LastLine = (int)current.End.Line;
        return moved;
    }
}
