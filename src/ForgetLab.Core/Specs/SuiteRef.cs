namespace ForgetLab.Core.Specs;

/// <summary>
/// A capability suite a spec watches: a built-in suite (<see cref="FilePath"/> null), a suite
/// YAML file, or the suite header of a registered data set (<see cref="Data"/>; on the server it is named
/// but not read, so <see cref="FilePath"/> is null there). <see cref="Name"/> is the built-in name, the path as
/// written in the spec, or <c>data_ref:NAME/FILE</c>.
/// </summary>
public sealed record SuiteRef(string Name, string? FilePath = null)
{
    public bool IsBuiltIn => FilePath is null && Data is null;

    /// <summary>The data set entry (<c>{ data_ref: NAME, file: F.yaml }</c>) it was named by; null for a built-in suite or a path.</summary>
    public DataRef? Data { get; init; }

    /// <summary>
    /// The operator's spec directory (or the data set's folder) when the spec is a tenant's on the platform: the
    /// suite's items file must resolve inside it too. Null in the stand-alone lab.
    /// </summary>
    public string? ConfinedTo { get; init; }

    public static SuiteRef BuiltIn(string name) => new(name);
}
