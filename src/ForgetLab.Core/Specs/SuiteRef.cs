namespace ForgetLab.Core.Specs;

/// <summary>
/// A capability suite a spec watches: a built-in suite (<see cref="FilePath"/> null) or a suite
/// YAML file. <see cref="Name"/> is the built-in name or the path as written in the spec.
/// </summary>
public sealed record SuiteRef(string Name, string? FilePath = null)
{
    public bool IsBuiltIn => FilePath is null;

    /// <summary>
    /// The operator's spec directory when the spec is a tenant's on the platform: the suite's items
    /// file must resolve inside it too. Null in the stand-alone lab.
    /// </summary>
    public string? ConfinedTo { get; init; }

    public static SuiteRef BuiltIn(string name) => new(name);
}
