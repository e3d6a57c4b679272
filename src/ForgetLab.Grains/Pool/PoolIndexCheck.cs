using ForgetLab.Contracts.Pool;
using ForgetLab.Core.Scheduling;

namespace ForgetLab.Grains.Pool;

/// <summary>
/// A check of the pool grain's index, for tests: registered in a silo (as a singleton), it has the pool grain make every placement
/// and preemption plan again through the policy's list overloads, with lists built from its state as the grain built them before it
/// kept an index, and compare its kept index with one built from the state after every save. A difference fails the grain call,
/// naming both sides; so does a difference between its kept queue, look-ups and live workers' devices and those the state gives, after
/// every save and every change kept in memory. It records the index each activation starts from and the one held when the previous
/// activation ended, so a test can see that a reactivated grain restores the index it had (what was in memory was written). Never registered in production: it costs the list path's time and more.
/// </summary>
internal sealed class PoolIndexCheck
{
    private readonly Lock _gate = new();

    /// <summary>Decisions and plans compared, and how many of them placed a run or planned a preemption.</summary>
    public (int Decisions, int Placed, int Plans, int Planned) Compared { get; private set; }

    /// <summary>The index (<see cref="PoolIndex.Describe"/>) the latest activation started from.</summary>
    public string? ActivatedWith { get; private set; }

    public int Activations { get; private set; }

    public int Deactivations { get; private set; }

    /// <summary>The index after the latest save.</summary>
    public string? LastSaved { get; private set; }

    public void Activated(PoolStateIndex index)
    {
        lock (_gate)
        {
            ActivatedWith = index.Index.Describe();
            Activations++;
        }
    }

    /// <summary>The index held when the latest activation ended (refreshed at that time): the next activation must start from it.</summary>
    public string? DeactivatedWith { get; private set; }

    /// <summary>Changes kept in memory only, and writes.</summary>
    public (int Kept, int Saved) Changes { get; private set; }

    public void Saved(GpuPoolState state, DateTimeOffset now, PoolStateIndex kept)
    {
        var held = Compare(state, now, kept);
        lock (_gate)
        {
            LastSaved = held;
            Changes = Changes with { Saved = Changes.Saved + 1 };
        }
    }

    /// <summary>A change the grain keeps in memory until its next write: the index must follow it as it follows a save.</summary>
    public void Kept(GpuPoolState state, DateTimeOffset now, PoolStateIndex kept)
    {
        Compare(state, now, kept);
        lock (_gate) Changes = Changes with { Kept = Changes.Kept + 1 };
    }

    public void Deactivating(GpuPoolState state, DateTimeOffset now, PoolStateIndex kept)
    {
        var held = Compare(state, now, kept);
        lock (_gate)
        {
            DeactivatedWith = held;
            Deactivations++;
        }
    }

    /// <summary>The kept index and look-ups against those built from <paramref name="state"/>; the index's description.</summary>
    private static string Compare(GpuPoolState state, DateTimeOffset now, PoolStateIndex kept)
    {
        kept.Refresh(state, now);
        var held = kept.Index.Describe();
        var built = PoolStateIndex.Build(state, now).Index.Describe();
        if (held != built) throw new InvalidOperationException($"The pool's kept index differs from the one its state gives.\nkept:\n{held}\nfrom state:\n{built}");
        if (kept.Differences(state) is { } differences) throw new InvalidOperationException($"The pool's kept look-ups differ from its state: {differences}.");
        return held;
    }

    public void Decided(GpuPoolState state, DateTimeOffset now, RunQueue queue, IReadOnlyList<FreeDevice> free, IReadOnlyList<GangReservation> reserved, SchedulingDecision decision)
    {
        var lists = FairSharePolicy.Decide(Shares(state, now), queue, free, Allocations(state), reserved);
        if (!lists.Equals(decision))
        {
            throw new InvalidOperationException($"The pool placed through its index what the list path would not.\nindex: {Render(decision)}\nlists: {Render(lists)}");
        }

        lock (_gate) Compared = Compared with { Decisions = Compared.Decisions + 1, Placed = Compared.Placed + (decision.Placements.Count > 0 ? 1 : 0) };
    }

    public void Planned(
        GpuPoolState state, DateTimeOffset now, RunQueue queue, IReadOnlyList<WorkerDevices> workers, IReadOnlyList<GangReservation> held, PreemptionRules rules,
        IReadOnlyList<PreemptionPlan> plans)
    {
        var preempting = state.Preempting.Select(p => p.LeaseId).ToHashSet(StringComparer.Ordinal);
        var running = state.Leases.Where(l => !preempting.Contains(l.LeaseId)).Select(l => PoolStateIndex.RunningOf(l, state)).OfType<RunningRun>().ToList();
        var lists = PreemptionPolicy.Plan(Shares(state, now), queue, Allocations(state), workers, running, held, now, rules);
        if (Render(lists) != Render(plans))
        {
            throw new InvalidOperationException($"The pool planned through its index what the list path would not.\nindex: {Render(plans)}\nlists: {Render(lists)}");
        }

        lock (_gate) Compared = Compared with { Plans = Compared.Plans + 1, Planned = Compared.Planned + (plans.Count > 0 ? 1 : 0) };
    }

    /// <summary>Every tenant with queued runs or leases, with the device-hours it has used by <paramref name="now"/> (ended and live leases).</summary>
    private static List<TenantShare> Shares(GpuPoolState state, DateTimeOffset now) =>
        [.. state.Queue.Select(e => e.TenantId).Concat(state.Leases.Select(l => l.Entry.TenantId)).Distinct(StringComparer.Ordinal).Select(id =>
        {
            var account = state.Tenants.FirstOrDefault(t => t.TenantId == id) ?? TenantAccount.Default(id);
            var used = account.DeviceHoursUsed + state.Leases.Where(l => l.Entry.TenantId == id).Sum(l => l.DeviceHours(now));
            return new TenantShare(id, account.Weight,
                new TenantQuota(account.MaxConcurrentDevices, account.DeviceHoursBudget ?? double.PositiveInfinity, used, account.GuaranteedDevices));
        })];

    private static List<Allocation> Allocations(GpuPoolState state) =>
        [.. state.Leases.GroupBy(l => l.Entry.TenantId, StringComparer.Ordinal).Select(g => new Allocation(g.Key, g.Sum(l => l.DeviceIds.Length)))];

    private static string Render(SchedulingDecision decision) =>
        string.Join("; ", decision.Placements.Select(p => $"{p.RunId}@{p.WorkerId}[{string.Join(",", p.DeviceIds)}]"))
        + " | waiting " + string.Join("; ", decision.Waiting.Select(w => $"{w.TenantId} {w.Reason} {w.RunsWaiting}"));

    private static string Render(IReadOnlyList<PreemptionPlan> plans) =>
        string.Join("; ", plans.Select(p => $"{p.RunId} on {p.WorkerId} ({p.DeviceHoursAtRisk:R}): "
            + string.Join(", ", p.Victims.Select(v => $"{v.RunId} {v.Reason} {v.Explanation}"))));
}
