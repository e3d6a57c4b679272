using ForgetLab.Contracts.Common;

namespace ForgetLab.Grains.Common;

/// <summary>
/// The tenant check every tenant-facing grain call makes first. A caller from another tenant gets
/// the same answer as for a resource that does not exist, so nothing leaks its existence.
/// </summary>
internal static class TenantAccess
{
    /// <summary>True when the caller belongs to the tenant that owns <paramref name="grainKey"/>.</summary>
    public static bool Owns(Caller? caller, string grainKey) =>
        caller is not null && !string.IsNullOrEmpty(caller.TenantId)
        && string.Equals(caller.TenantId, GrainKeys.TenantOf(grainKey), StringComparison.Ordinal);

    public static bool Allows(Caller caller, TenantRole needed) => caller.Role >= needed;
}
