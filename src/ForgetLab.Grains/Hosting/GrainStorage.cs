namespace ForgetLab.Grains.Hosting;

/// <summary>Names of the providers the grains use; the host binds them to Azure Storage (tests: memory).</summary>
public static class GrainStorage
{
    /// <summary>Grain state of tenants, experiments, runs and the pool.</summary>
    public const string Name = "forgetlab";
}
