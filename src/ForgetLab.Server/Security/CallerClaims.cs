using System.Security.Claims;
using ForgetLab.Contracts.Common;

namespace ForgetLab.Server.Security;

/// <summary>
/// The <see cref="Caller"/> a verified API key stands for, carried as claims. The platform admin's
/// bootstrap key belongs to no tenant: its tenant id is one no tenant can have.
/// </summary>
public static class CallerClaims
{
    public const string TenantClaim = "forgetlab:tenant";

    /// <summary>Not a valid tenant id (GrainKeys.IsTenantId), so no tenant's resources are ever the admin key's own.</summary>
    public const string PlatformTenant = "_platform";

    /// <summary>Policy for endpoints that act inside a tenant (experiments, runs): any tenant key, not the admin key.</summary>
    public const string TenantPolicy = "tenant";

    /// <summary>Policy for platform administration (creating and configuring tenants).</summary>
    public const string PlatformAdminPolicy = "platform-admin";

    /// <summary>Policy for what changes a tenant's work (submit, cancel, publish): a tenant key of role Member or above.</summary>
    public const string MemberPolicy = "tenant-member";

    /// <summary>Policy for managing a tenant's keys: role TenantAdmin or above (the platform admin too).</summary>
    public const string TenantAdminPolicy = "tenant-admin";

    /// <summary>The role a 403 names: the strongest one the endpoint's policies ask for.</summary>
    public static string RoleNeeded(IReadOnlyCollection<string?> policies) =>
        policies.Contains(PlatformAdminPolicy) ? "platform-admin"
        : policies.Contains(TenantAdminPolicy) ? "tenant-admin"
        : policies.Contains(MemberPolicy) ? "member"
        : "viewer";

    public static TenantRole? RoleOf(ClaimsPrincipal user) =>
        Enum.TryParse<TenantRole>(user.FindFirstValue(ClaimTypes.Role), out var role) ? role : null;

    public static ClaimsPrincipal ToPrincipal(Caller caller, string scheme) => new(new ClaimsIdentity(
        [
            new Claim(TenantClaim, caller.TenantId),
            new Claim(ClaimTypes.Role, caller.Role.ToString()),
            new Claim(ClaimTypes.NameIdentifier, caller.Subject ?? ""),
        ],
        scheme));

    public static Caller ToCaller(this ClaimsPrincipal user)
    {
        var tenant = user.FindFirstValue(TenantClaim) ?? throw new InvalidOperationException("The request is not authenticated.");
        var role = Enum.Parse<TenantRole>(user.FindFirstValue(ClaimTypes.Role)!);
        return new Caller(tenant, role, user.FindFirstValue(ClaimTypes.NameIdentifier));
    }
}
