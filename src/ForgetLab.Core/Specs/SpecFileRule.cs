namespace ForgetLab.Core.Specs;

/// <summary>How a spec's file paths are treated; see <see cref="SpecFiles"/>.</summary>
public enum SpecFileRule
{
    /// <summary>The stand-alone lab: a local user's own files.</summary>
    Local,

    /// <summary>The platform without a spec directory: no paths.</summary>
    None,

    /// <summary>The platform with an operator's spec directory: paths inside it only.</summary>
    Confined,
}
