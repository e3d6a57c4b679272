using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Scheduling;

namespace ForgetLab.Grains.Pool;

/// <summary>
/// The pool grain's <see cref="PoolIndex"/>, kept equal to the index its state describes (<see cref="Build"/>) by applying, after
/// every save, each change between the state before and after it: leases granted, ended, renewed or checkpointed, leases asked to
/// checkpoint and leave, workers registering again, tenants' shares set, runs queued and preemptions recorded. A change is applied
/// only once its state is saved, so a failed save leaves both as they were. What the index holds of the state:
/// <list type="bullet">
/// <item>a share for every tenant with an account, a queued run or a lease (an account's weight and quotas; a tenant without one gets
/// <see cref="TenantAccount.Default"/>), with the devices its leases hold;</item>
/// <item>a running run for every lease not being preempted whose devices are registered: its class, kind and memory (of its first
/// device), its latest checkpoint (its start until one) and when it was preempted before, as preemption reads it.</item>
/// </list>
/// Device-hours used enter a share only where a tenant has a budget, and depend on the time of a decision: <see cref="Refresh"/>
/// sets them before each (a tenant without a budget is never out of device-hours, whatever it used).
/// </summary>
internal sealed class PoolStateIndex
{
    private readonly Dictionary<string, int> _queued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TenantAccount> _accounts = new(StringComparer.Ordinal);

    private PoolStateIndex(PoolIndex index) => Index = index;

    public PoolIndex Index { get; }

    /// <summary>The index of <paramref name="state"/>, as on activation; device-hours as at <paramref name="now"/>.</summary>
    public static PoolStateIndex Build(GpuPoolState state, DateTimeOffset now)
    {
        var kept = new PoolStateIndex(new PoolIndex());
        kept.Apply(new GpuPoolState(), state);
        kept.Refresh(state, now);
        return kept;
    }

    /// <summary>Sets the device-hours of tenants with a budget to what they have used by <paramref name="now"/> (ended and live leases).</summary>
    public void Refresh(GpuPoolState state, DateTimeOffset now)
    {
        Dictionary<string, double>? live = null;
        foreach (var account in _accounts.Values)
        {
            if (account.DeviceHoursBudget is null) continue;
            if (live is null)
            {
                live = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var lease in state.Leases) live[lease.Entry.TenantId] = live.GetValueOrDefault(lease.Entry.TenantId) + lease.DeviceHours(now);
            }

            Index.SetShare(ShareOf(account, live.GetValueOrDefault(account.TenantId)));
        }
    }

    /// <summary>Applies every change from <paramref name="before"/> to <paramref name="after"/>; unchanged lists cost nothing.</summary>
    public void Apply(GpuPoolState before, GpuPoolState after)
    {
        var tenants = new HashSet<string>(StringComparer.Ordinal); // tenants whose presence may have changed
        if (before.Tenants != after.Tenants)
        {
            foreach (var account in after.Tenants)
            {
                if (_accounts.TryGetValue(account.TenantId, out var known) && known == account) continue;
                _accounts[account.TenantId] = account;
                Index.SetShare(ShareOf(account, 0));
            }
        }

        if (before.Queue != after.Queue)
        {
            var was = before.Queue.Select(e => e.RunKey).ToHashSet(StringComparer.Ordinal);
            var now = after.Queue.Select(e => e.RunKey).ToHashSet(StringComparer.Ordinal);
            foreach (var entry in before.Queue.Where(e => !now.Contains(e.RunKey))) Count(entry.TenantId, -1, tenants);
            foreach (var entry in after.Queue.Where(e => !was.Contains(e.RunKey))) Count(entry.TenantId, +1, tenants);
        }

        // Leases whose running record may have changed: granted, ended, renewed or checkpointed, asked to leave or no longer,
        // on a worker that registered again, or of a run whose preemption history changed.
        var touched = new HashSet<string>(StringComparer.Ordinal);
        if (before.Leases != after.Leases)
        {
            var now = after.Leases.ToDictionary(l => l.LeaseId, StringComparer.Ordinal);
            var was = before.Leases.ToDictionary(l => l.LeaseId, StringComparer.Ordinal);
            foreach (var lease in before.Leases.Where(l => !now.ContainsKey(l.LeaseId)))
            {
                Index.AddHeld(lease.Entry.TenantId, -lease.DeviceIds.Length);
                Index.RemoveRunning(lease.Entry.RunKey);
                tenants.Add(lease.Entry.TenantId);
            }

            foreach (var lease in after.Leases)
            {
                if (!was.TryGetValue(lease.LeaseId, out var old))
                {
                    Present(lease.Entry.TenantId);
                    Index.AddHeld(lease.Entry.TenantId, lease.DeviceIds.Length);
                    touched.Add(lease.LeaseId);
                }
                // A renewal (a heartbeat) moves only the expiry, which preemption does not read.
                else if (old with { ExpiresAt = lease.ExpiresAt } != lease) touched.Add(lease.LeaseId);
            }
        }

        if (before.Preempting != after.Preempting)
        {
            foreach (var p in before.Preempting.Except(after.Preempting).Concat(after.Preempting.Except(before.Preempting))) touched.Add(p.LeaseId);
        }

        if (before.Workers != after.Workers)
        {
            // A worker heard from again changes only its time; one that registers again may bring other devices.
            var was = before.Workers.ToDictionary(w => w.Registration.WorkerId, w => w.Registration, StringComparer.Ordinal);
            var changed = after.Workers
                .Where(w => !was.TryGetValue(w.Registration.WorkerId, out var old) || !DevicesOf(old).SequenceEqual(DevicesOf(w.Registration)))
                .Select(w => w.Registration.WorkerId)
                .ToHashSet(StringComparer.Ordinal);
            foreach (var lease in after.Leases.Where(l => changed.Contains(l.WorkerId))) touched.Add(lease.LeaseId);
        }

        if (before.Preempted != after.Preempted)
        {
            var runs = before.Preempted.Except(after.Preempted).Concat(after.Preempted.Except(before.Preempted)).Select(p => p.RunKey).ToHashSet(StringComparer.Ordinal);
            foreach (var lease in after.Leases.Where(l => runs.Contains(l.Entry.RunKey))) touched.Add(lease.LeaseId);
        }

        if (touched.Count > 0)
        {
            var preempting = after.Preempting.Select(p => p.LeaseId).ToHashSet(StringComparer.Ordinal);
            foreach (var lease in after.Leases.Where(l => touched.Contains(l.LeaseId)))
            {
                var record = preempting.Contains(lease.LeaseId) ? null : RunningOf(lease, after);
                var known = Index.Running(lease.Entry.RunKey);
                if (record is null) Index.RemoveRunning(lease.Entry.RunKey);
                else if (known is null) Index.AddRunning(record);
                else if (!Same(known, record)) Index.UpdateRunning(record);
            }
        }

        // A tenant with no account, nothing queued and nothing held leaves the index, as it is absent from an index built from state.
        foreach (var tenantId in tenants)
        {
            if (!_accounts.ContainsKey(tenantId) && _queued.GetValueOrDefault(tenantId) == 0 && Index.HeldBy(tenantId) == 0) Index.RemoveShare(tenantId);
        }
    }

    /// <summary>The lease's run as preemption sees it; null when its devices are not registered (its worker registered again without them).</summary>
    public static RunningRun? RunningOf(PoolLease lease, GpuPoolState state)
    {
        var device = state.Workers.FirstOrDefault(w => w.Registration.WorkerId == lease.WorkerId)?.Registration.Devices is { IsDefault: false } devices
            ? devices.FirstOrDefault(d => d.DeviceId == lease.DeviceIds[0])
            : null;
        if (device is null) return null;
        return new RunningRun(lease.Entry.RunKey, lease.Entry.TenantId, GpuPoolGrain.ClassOf(lease.Entry), lease.WorkerId, device.Kind, lease.DeviceIds.Length,
            lease.LastCheckpointAt ?? lease.GrantedAt, PreemptedAt(state, lease.Entry.RunKey), device.MemoryBytes);
    }

    /// <summary>When the run was preempted before (lease ended by the preemption), for loop protection.</summary>
    public static IReadOnlyList<DateTimeOffset> PreemptedAt(GpuPoolState state, string runKey) =>
        [.. state.Preempted.Where(p => p.RunKey == runKey && p.Outcome != PreemptionOutcomes.LeaseEnded).Select(p => p.AskedAt)];

    /// <summary>A tenant's share in the index: device-hours used count only against a budget (<see cref="Refresh"/> keeps them current).</summary>
    private static TenantShare ShareOf(TenantAccount account, double liveHours) => new(
        account.TenantId,
        account.Weight,
        new TenantQuota(
            account.MaxConcurrentDevices, account.DeviceHoursBudget ?? double.PositiveInfinity,
            account.DeviceHoursBudget is null ? 0 : account.DeviceHoursUsed + liveHours, account.GuaranteedDevices));

    private void Count(string tenantId, int delta, HashSet<string> tenants)
    {
        if (delta > 0) Present(tenantId);
        _queued[tenantId] = _queued.GetValueOrDefault(tenantId) + delta;
        if (_queued[tenantId] == 0) _queued.Remove(tenantId);
        tenants.Add(tenantId);
    }

    private void Present(string tenantId)
    {
        if (!Index.HasTenant(tenantId)) Index.SetShare(ShareOf(_accounts.GetValueOrDefault(tenantId) ?? TenantAccount.Default(tenantId), 0));
    }

    private static IEnumerable<WorkerDevice> DevicesOf(WorkerRegistration registration) => registration.Devices.IsDefault ? [] : registration.Devices;

    private static bool Same(RunningRun a, RunningRun b) =>
        a with { PreemptedAt = b.PreemptedAt } == b && a.PreemptedAt.SequenceEqual(b.PreemptedAt);
}
