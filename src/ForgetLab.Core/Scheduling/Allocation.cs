namespace ForgetLab.Core.Scheduling;

/// <summary>Devices a tenant holds now (running runs); tenants not listed hold none.</summary>
public sealed record Allocation(string TenantId, int Devices);
