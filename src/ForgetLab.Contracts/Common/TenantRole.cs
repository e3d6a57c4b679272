namespace ForgetLab.Contracts.Common;

/// <summary>Roles in increasing power; a role may do everything the ones below it may.</summary>
[GenerateSerializer, Alias("forgetlab.TenantRole")]
public enum TenantRole
{
    /// <summary>Reads experiments, runs and reports.</summary>
    Viewer = 0,

    /// <summary>Also submits, cancels and publishes experiments.</summary>
    Member = 1,

    /// <summary>Also manages the tenant's members and API keys.</summary>
    TenantAdmin = 2,

    /// <summary>Also sets any tenant's weight and quotas.</summary>
    PlatformAdmin = 3,
}
