namespace ForgetLab.Grains.Hosting;

/// <summary>Where submitted specs resolve relative paths (suite files, model folders) on the server.</summary>
public sealed class ExperimentOptions
{
    /// <summary>Null: a folder that holds nothing, so a spec cannot probe the server's files.</summary>
    public string? SpecBaseDirectory { get; set; }
}
