namespace ForgetLab.Core.Scheduling;

/// <summary>A tenant's claim on the pool: its weight in the fair share and its quota.</summary>
/// <param name="TenantId">Tenant id; ties between equally loaded tenants go to the ordinally smaller id.</param>
/// <param name="Weight">Relative share (&gt; 0): a tenant of weight 3 gets three devices for every one of a tenant of weight 1.</param>
/// <param name="Quota">Hard limits that apply whatever the weight.</param>
public sealed record TenantShare(string TenantId, double Weight, TenantQuota Quota);
