namespace ForgetLab.Core.Specs;

/// <summary>
/// How big a spec may be. They are enforced while the YAML is tokenised, before any tree is built,
/// so no input can make the loader recurse deeply or allocate without bound. The largest example
/// spec uses a small fraction of each (docs/security.md lists them with where they are checked).
/// </summary>
public static class SpecLimits
{
    /// <summary>Characters of spec text (256 KiB); the API refuses a larger body before reading it.</summary>
    public const int MaxChars = 256 * 1024;

    /// <summary>Nesting of lists and mappings; a spec needs about six.</summary>
    public const int MaxDepth = 32;

    /// <summary>Scalars, lists and mappings, an alias counting as every node it repeats (no "billion laughs").</summary>
    public const int MaxNodes = 10_000;

    /// <summary>Characters in one scalar (a key, a name, a description).</summary>
    public const int MaxScalarChars = 8 * 1024;

    /// <summary>Errors listed for one spec; the rest are counted in one last line.</summary>
    public const int MaxErrors = 100;
}
