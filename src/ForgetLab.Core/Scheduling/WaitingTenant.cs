namespace ForgetLab.Core.Scheduling;

/// <summary>A tenant left with queued runs after a decision, and why.</summary>
/// <param name="TenantId">Tenant.</param>
/// <param name="Reason">Why its highest-ranked waiting run was not placed.</param>
/// <param name="RunsWaiting">Runs it still has queued.</param>
public sealed record WaitingTenant(string TenantId, WaitReason Reason, int RunsWaiting);
