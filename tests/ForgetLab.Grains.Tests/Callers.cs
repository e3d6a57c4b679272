using ForgetLab.Contracts.Common;

namespace ForgetLab.Grains.Tests;

internal static class Callers
{
    public static Caller Member(string tenant) => new(tenant, TenantRole.Member, $"{tenant}-member");

    public static Caller Viewer(string tenant) => new(tenant, TenantRole.Viewer, $"{tenant}-viewer");

    public static Caller Admin(string tenant) => new(tenant, TenantRole.TenantAdmin, $"{tenant}-admin");

    public static Caller Platform { get; } = new("platform", TenantRole.PlatformAdmin, "ops");

    /// <summary>A tenant id no other test uses, so tests sharing a cluster never meet.</summary>
    public static string NewTenant(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 13)];
}
