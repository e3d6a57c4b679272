using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ForgetLab.Core.Specs;

/// <summary>Plays back events already read (and checked) by <see cref="BoundedYamlEvents"/>, so the text is parsed once.</summary>
internal sealed class ReplayedEvents(IReadOnlyList<ParsingEvent> events) : IParser
{
    private int next;

    public ParsingEvent? Current { get; private set; }

    public bool MoveNext()
    {
        Current = next < events.Count ? events[next++] : null;
        return Current is not null;
    }
}
