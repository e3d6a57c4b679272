using ForgetLab.Core.Specs;

namespace ForgetLab.Grains.Hosting;

/// <summary>Whether, and from where, tenants' specs may name files (suite files, model folders) on the platform.</summary>
public sealed class ExperimentOptions
{
    /// <summary>
    /// The operator's spec directory (<c>ForgetLab:Experiments:SpecBaseDirectory</c>): specs name files
    /// relative to it and cannot leave it. Null: specs name no files at all (a 400 at the field).
    /// </summary>
    public string? SpecBaseDirectory { get; set; }

    /// <summary>The rule every platform reading of a tenant's spec applies (API, dashboard, experiment grain).</summary>
    public SpecFiles SpecFiles => SpecFiles.ForPlatform(SpecBaseDirectory);
}
