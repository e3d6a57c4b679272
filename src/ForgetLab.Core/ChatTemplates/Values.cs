namespace ForgetLab.Core.ChatTemplates;

// Runtime values: null is Jinja's none, Undefined a missing name/key/attribute, and string, long, double, bool,
// List<object?> and OrderedDictionary<string, object?> (insertion order, as JSON objects and Python dicts keep).

internal sealed class Undefined
{
    public static readonly Undefined Instance = new();

    private Undefined() { }
}

/// <summary>The mutable object of <c>namespace()</c>: the one way a template carries state out of a loop.</summary>
internal sealed class Namespace
{
    public OrderedDictionary<string, object?> Values { get; } = new(StringComparer.Ordinal);
}

/// <summary>Lexically nested variables: a for loop's body gets a child scope per iteration, as in Jinja.</summary>
internal sealed class Scope(Scope? parent)
{
    private readonly Dictionary<string, object?> _vars = new(StringComparer.Ordinal);

    public object? Lookup(string name)
    {
        for (var s = this; s is not null; s = s.Parent)
            if (s._vars.TryGetValue(name, out var v)) return v;
        return Undefined.Instance;
    }

    public void Set(string name, object? value) => _vars[name] = value;

    private Scope? Parent => parent;
}
