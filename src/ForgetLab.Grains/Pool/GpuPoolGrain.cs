using System.Collections.Immutable;
using ForgetLab.Contracts.Common;
using ForgetLab.Contracts.Pool;
using ForgetLab.Contracts.Runs;
using ForgetLab.Core.Models;
using ForgetLab.Core.Scheduling;
using ForgetLab.Grains.Common;
using ForgetLab.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ForgetLab.Grains.Pool;

/// <summary>
/// The shared device pool. Workers pull: each lease request places queued runs on that worker's
/// free devices with <see cref="FairSharePolicy.Decide"/> over every tenant's allocation, so the
/// fair share (shaded by priority class, with each run's memory fitted to the devices) holds across
/// the whole pool; gang reservations, chosen over all live workers, hold a draining worker's devices
/// for a long-waiting multi-device run. Leases expire unless heartbeats renew them; an expired
/// lease sends its run back to the queue to resume from its latest checkpoint. Expiry is swept at
/// the start of every call and by a reminder, so a silent pool still notices lost workers. A lease
/// outlives a server restart or a storage outage (<see cref="LeaseExpiry"/>): it expires only once
/// the pool has listened for a whole TTL without hearing its worker.
/// Preemption is cooperative (<see cref="PreemptionPolicy.Plan"/>, on enqueue, after placement found no room, and on the reminder): the victim's lease is
/// marked, its worker hears "checkpoint now" in its heartbeat answer, and the lease ends only when the worker reports the
/// checkpoint uploaded and verified (<see cref="Preempted"/>) or at the grace deadline, when the run falls back to its last
/// checkpoint. The worker is held for the run the preemption made room for until that run is placed.
/// Both policies read the tenants (shares, devices held), the running runs, the queue and the live workers' devices from what is kept
/// beside the state (<see cref="PoolStateIndex"/>): every change applies itself to it, and an activation rebuilds it from state, so a
/// decision does not rebuild them from the state's lists.
/// Writes: a call writes the state at most once, and only for what must survive a silo crash (<see cref="Remember"/> keeps the rest in
/// memory until the next write): lease grants before any run or worker hears of them, lease ends, queue changes, tenant shares,
/// registrations and preemption marks before a worker is told of them. Heartbeats (renewals, last seen), checkpoint times and gang
/// reservations ride along with the next write, or are written on their own once they are <see cref="GpuPoolOptions.RenewalWriteInterval"/>
/// old, and on deactivation.
/// The pool calls run grains; run grains never call the pool (no call cycles).
/// </summary>
public sealed class GpuPoolGrain(
    [PersistentState("pool", GrainStorage.Name)] IPersistentState<GpuPoolState> pool,
    PlatformClock clock,
    IOptions<GpuPoolOptions> options) : Grain, IGpuPoolGrain, IRemindable
{
    private const string SweepReminder = "lease-sweep";

    /// <summary>Placement rounds per lease request: a run refused (cancelled while queued) frees its devices for another round.</summary>
    private const int MaxRounds = 4;

    private bool _reminderRegistered;

    // In memory on purpose: what this activation heard, even when storage could not record it.
    private readonly Dictionary<string, DateTimeOffset> _heard = new(StringComparer.Ordinal);
    private DateTimeOffset _listeningSince;

    // The pool's tenants and running runs as the policy reads them, kept by Save change by change and rebuilt from state on activation.
    private PoolStateIndex _index = null!;

    // Registered only in tests: every decision made through the index is made again through the list overloads and compared.
    private PoolIndexCheck? _check;

    // When the oldest change that is in memory only was made (null when the state in storage is the state in memory), and whether
    // one of them is a preemption mark no worker may hear of before it is written.
    private DateTimeOffset? _unwrittenSince;
    private bool _marksUnwritten;

    // No lease expires before this (every lease's expiry is at or after it): the sweep skips its pass over the leases until then.
    // Expiries only move later (a renewal, a new lease expires a TTL from now), so it stays true until a pass sets it again.
    private DateTimeOffset _noExpiryBefore = DateTimeOffset.MinValue;

    private GpuPoolState Current => pool.State;

    private TimeSpan LeaseTtl => options.Value.LeaseTtl;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _listeningSince = clock.UtcNow;
        _index = PoolStateIndex.Build(Current, clock.UtcNow);
        _check = ServiceProvider.GetService<PoolIndexCheck>();
        _check?.Activated(_index);
        return Task.CompletedTask;
    }

    /// <summary>What was kept in memory only (renewals, last seen, checkpoint times, reservations, preemption marks) is written on the way out.</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_unwrittenSince is not null) await Save(Current);
        _check?.Deactivating(Current, clock.UtcNow, _index);
    }

    public async Task RegisterWorker(WorkerRegistration registration)
    {
        ValidateRegistration(registration);
        await SweepExpiredLeases();
        await Save(WithWorker(Current, new PoolWorker(registration, clock.UtcNow)));
        GrainMetrics.WorkerKnown(registration.WorkerId);
    }

    public async Task<HeartbeatAck> Heartbeat(string workerId, ImmutableArray<string> leaseIds)
    {
        Heard(workerId);
        await SweepExpiredLeases();
        var now = clock.UtcNow;
        var expiresAt = now + LeaseTtl;
        if (WorkerOf(workerId) is not { } worker)
        {
            return new HeartbeatAck(false, [], leaseIds.IsDefault ? [] : leaseIds, now);
        }

        // Renewals and the time heard are kept in memory: a new activation expires nothing before it has listened a whole TTL
        // (LeaseExpiry), so a renewal lost in a crash loses no lease; they are written with the next write, or on their own once
        // RenewalWriteInterval old. What a crash can lose is device-hours charged past the last written expiry, for a lease whose
        // worker died with the silo: at most RenewalWriteInterval of each.
        var held = _index.LeasesOf(workerId);
        var next = held.Count == 0 ? Current : Current with { Leases = Renewed(Current.Leases, held, expiresAt) };
        Remember(WithWorker(next, worker with { LastSeen = now }));
        var checkpoint = Current.Preempting.Where(p => p.WorkerId == workerId).Select(p => p.LeaseId).Order(StringComparer.Ordinal).ToImmutableArray();
        // A worker is told to checkpoint only once the mark is written: a mark lost in a crash would leave a job stopped for nothing.
        if (_unwrittenSince is { } since && (now - since >= options.Value.RenewalWriteInterval || _marksUnwritten && !checkpoint.IsEmpty)) await Save(Current);

        var lost = (leaseIds.IsDefault ? [] : leaseIds).Where(id => !held.Any(l => l.LeaseId == id));
        return new HeartbeatAck(true, [.. held.Select(l => l.LeaseId)], [.. lost], expiresAt) { Checkpoint = checkpoint };
    }

    public async Task<ImmutableArray<LeaseGrant>> RequestLeases(string workerId)
    {
        await SweepExpiredLeases();
        if (WorkerOf(workerId) is not { } worker) return [];

        var grants = ImmutableArray.CreateBuilder<LeaseGrant>();
        if (worker.LastSeen != clock.UtcNow) Remember(WithWorker(Current, worker with { LastSeen = clock.UtcNow }));
        for (var round = 0; round < MaxRounds; round++)
        {
            var leased = await PlaceOn(worker.Registration);
            if (leased.Count == 0) break;

            var refused = false;
            foreach (var lease in leased)
            {
                if (await Hand(lease) is { } grant)
                {
                    grants.Add(grant);
                    GrainMetrics.LeaseGranted(grant.TenantId);
                }
                else refused = true;
            }

            if (!refused) break;
        }

        if (await PlanPreemptions() || grants.Count > 0) await EnsureSweepReminder();
        return grants.ToImmutable();
    }

    public async Task<bool> ReleaseLease(string workerId, string leaseId)
    {
        if (LeaseOf(leaseId) is not { } lease || lease.WorkerId != workerId) return false;
        // The run is asked first, as in the sweep: a run still held under the lease (its worker gave it up, or
        // restarted) goes back on the queue in the same write, so no run is left held under a lease nobody has;
        // an ended run refuses, harmlessly. Should the save fail, a repeat finds the run queued and queues it.
        var returned = await GrainFactory.GetGrain<IRunGrain>(lease.Entry.RunKey)
            .ReturnToQueue(leaseId, $"worker '{workerId}' released lease '{leaseId}'");
        var ended = End(Current, lease, clock.UtcNow);
        await Save(returned.Entry is { } entry ? Queued(ended, entry, clock.UtcNow) : ended);
        return true;
    }

    public async Task CheckpointUploaded(string workerId, string leaseId)
    {
        if (LeaseOf(leaseId) is not { } lease || lease.WorkerId != workerId) return;
        // In memory until the next write: a checkpoint time lost in a crash only makes preemption think the run has more to lose.
        var now = clock.UtcNow;
        Remember(Current with { Leases = Current.Leases.Replace(lease, lease with { LastCheckpointAt = now }) });
    }

    public async Task<bool> Preempted(string workerId, string leaseId, long step)
    {
        await SweepExpiredLeases();
        if (LeaseOf(leaseId) is not { } lease || lease.WorkerId != workerId) return false;
        if (Current.Preempting.FirstOrDefault(p => p.LeaseId == leaseId) is not { } preemption) return false;
        await Save(await EndPreempted(Current, lease, preemption, PreemptionOutcomes.Checkpointed, step, clock.UtcNow));
        return true;
    }

    public async Task Enqueue(ImmutableArray<QueueEntry> entries)
    {
        var added = new List<QueueEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            ValidateEntry(entry);
            if (!_index.Knows(entry.RunKey) && seen.Add(entry.RunKey)) added.Add(entry with { QueuedAt = clock.UtcNow });
        }

        if (added.Count == 0) return;
        await Save(Current with { Queue = Current.Queue.AddRange(added) });
        // A busy pool gets no lease requests (workers ask only with free devices): a higher-class or reclaiming run preempts from here,
        // and the sweep's reminder tries again for runs a plan could not serve yet.
        if (await PlanPreemptions()) await EnsureSweepReminder();
    }

    public async Task Dequeue(ImmutableArray<string> runKeys)
    {
        var removed = runKeys.ToHashSet(StringComparer.Ordinal);
        var queue = Current.Queue.RemoveAll(e => removed.Contains(e.RunKey));
        var holds = Current.PreemptionHolds.RemoveAll(h => removed.Contains(h.RunKey));
        if (queue.Length != Current.Queue.Length || holds.Length != Current.PreemptionHolds.Length)
            await Save(Current with { Queue = queue, PreemptionHolds = holds });
    }

    public async Task SetTenantShare(string tenantId, double weight, int maxConcurrentDevices, double? deviceHoursBudget, int guaranteedDevices)
    {
        if (guaranteedDevices < 0 || guaranteedDevices > maxConcurrentDevices)
            throw new ArgumentException($"Tenant '{tenantId}': guaranteedDevices must be between 0 and maxConcurrentDevices ({maxConcurrentDevices}), got {guaranteedDevices}.", nameof(guaranteedDevices));
        if (!(weight > 0) || !double.IsFinite(weight)) throw new ArgumentException($"Tenant '{tenantId}': weight must be a finite number > 0, got {weight}.", nameof(weight));
        if (maxConcurrentDevices < 0) throw new ArgumentException($"Tenant '{tenantId}': maxConcurrentDevices must be ≥ 0, got {maxConcurrentDevices}.", nameof(maxConcurrentDevices));

        var used = Account(tenantId).DeviceHoursUsed;
        await Save(WithAccount(Current, new TenantAccount(tenantId, weight, maxConcurrentDevices, deviceHoursBudget, used) { GuaranteedDevices = guaranteedDevices }));
        GrainMetrics.TenantKnown(tenantId);
    }

    /// <summary>
    /// Ends every lease at or past its expiry on the platform clock (and <see cref="LeaseExpiry"/>) and returns each run to the
    /// queue (the run logs "lease expired" and resumes from its latest checkpoint). A run that ended
    /// meanwhile stays off the queue. Tests call this after moving a fake clock; the reminder calls it in production.
    /// </summary>
    public async Task<ImmutableArray<string>> SweepExpiredLeases()
    {
        var now = clock.UtcNow;
        if (now < _noExpiryBefore && !Current.Preempting.Any(p => p.Deadline <= now)) return [];
        var expired = Current.Leases
            .Where(l => LeaseExpiry.HasExpired(l.ExpiresAt, now, _listeningSince, _heard.TryGetValue(l.WorkerId, out var heard) ? heard : null, LeaseTtl))
            .OrderBy(l => l.ExpiresAt).ThenBy(l => l.LeaseId, StringComparer.Ordinal).ToList();
        var overdue = Current.Preempting.Where(p => p.Deadline <= now && !expired.Any(l => l.LeaseId == p.LeaseId)).ToList();
        if (expired.Count == 0 && overdue.Count == 0)
        {
            _noExpiryBefore = Current.Leases.IsEmpty ? now + LeaseTtl : Current.Leases.Min(l => l.ExpiresAt);
            return [];
        }

        var requeued = ImmutableArray.CreateBuilder<string>();
        var next = Current;
        foreach (var preemption in overdue)
        {
            // No verified checkpoint within the grace: the lease ends anyway and the run falls back to its last checkpoint.
            // The worker hears the lease is lost in its next heartbeat and stops the job.
            if (next.Leases.FirstOrDefault(l => l.LeaseId == preemption.LeaseId) is { } lease)
            {
                next = await EndPreempted(next, lease, preemption, PreemptionOutcomes.GraceTimeout, null, now);
                requeued.Add(lease.Entry.RunKey);
            }
            else next = next with { Preempting = next.Preempting.Remove(preemption) };
        }

        foreach (var lease in expired)
        {
            // The run is told first: should the pool fail before saving, the next sweep repeats
            // the call and the run answers the same entry again.
            var run = GrainFactory.GetGrain<IRunGrain>(lease.Entry.RunKey);
            var result = await run.ReturnToQueue(
                lease.LeaseId,
                $"lease expired: worker '{lease.WorkerId}' sent no heartbeat for {LeaseTtl.TotalSeconds:0} s");
            next = End(next, lease, now);
            GrainMetrics.LeaseExpired(lease.WorkerId);
            if (result.Entry is { } entry)
            {
                next = Queued(next, entry, now);
                requeued.Add(entry.RunKey);
            }
        }

        await Save(next);
        _noExpiryBefore = DateTimeOffset.MinValue;
        return requeued.ToImmutable();
    }

    public Task<TenantAllocation> GetTenantAllocation(string tenantId) => Task.FromResult(Allocation(tenantId, clock.UtcNow));

    public Task<PoolSnapshot> GetSnapshot()
    {
        var now = clock.UtcNow;
        var tenantIds = Current.Tenants.Select(t => t.TenantId)
            .Concat(Current.Queue.Select(e => e.TenantId))
            .Concat(Current.Leases.Select(l => l.Entry.TenantId))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        var tenants = tenantIds.Select(id => Allocation(id, now));
        var leases = Current.Leases
            .OrderBy(l => l.LeaseId, StringComparer.Ordinal)
            .Select(l => new LeaseStatus(l.LeaseId, l.Entry.RunKey, l.Entry.TenantId, l.WorkerId, l.DeviceIds, l.GrantedAt, l.ExpiresAt)
            {
                PriorityClass = l.Entry.PriorityClass, LastCheckpointAt = l.LastCheckpointAt,
            });
        var queued = Statuses(Current.Queue.OrderBy(e => e.EnqueuedAt).ThenBy(e => e.RunKey, StringComparer.Ordinal));
        return Task.FromResult(new PoolSnapshot(
            [.. Current.Workers.Select(w => w.Registration).OrderBy(w => w.WorkerId, StringComparer.Ordinal)],
            [.. leases],
            [.. tenants],
            Current.Queue.Length)
        {
            Queued = [.. queued],
            Preempting = [.. Current.Preempting.OrderBy(p => p.AskedAt).ThenBy(p => p.LeaseId, StringComparer.Ordinal)],
            Preempted = [.. Current.Preempted.Take(PreemptionStatus.HistoryLength)],
            PreemptionProtectAfter = options.Value.PreemptionProtectAfter,
            PreemptionWindow = options.Value.PreemptionWindow,
        });
    }

    public Task<ImmutableArray<QueuedRunStatus>> QueuedStatus(ImmutableArray<string> runKeys)
    {
        var wanted = (runKeys.IsDefault ? [] : runKeys).ToHashSet(StringComparer.Ordinal);
        return Task.FromResult(Statuses(Current.Queue.Where(e => wanted.Contains(e.RunKey))));
    }

    /// <summary>Queued runs as operators (and, for their own runs, tenants) see them: why one fits no registered worker, which worker is held for it.</summary>
    private ImmutableArray<QueuedRunStatus> Statuses(IEnumerable<QueueEntry> entries)
    {
        var view = WorkerView();
        return [.. entries.Select(e => new QueuedRunStatus(
            e.RunKey, e.TenantId, e.PriorityClass, e.DevicesNeeded, e.DeviceKind, e.MemoryBytes, e.EnqueuedAt,
            PlacementFeasibility.Check(ToQueuedRun(e), view) is { } reason ? Unplaceable(reason, e) : null,
            Current.Reservations.FirstOrDefault(r => r.RunKey == e.RunKey)?.WorkerId))];
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != SweepReminder) return;
        await SweepExpiredLeases();
        await PlanPreemptions();
        if (_unwrittenSince is { } since && clock.UtcNow - since >= options.Value.RenewalWriteInterval) await Save(Current);
    }

    /// <summary>
    /// One fair-share round over the worker's free devices. The new leases are saved (and their
    /// runs taken off the queue) before any run hears of them, so a lease is never granted unrecorded.
    /// </summary>
    private async Task<List<PoolLease>> PlaceOn(WorkerRegistration worker)
    {
        var free = _index.FreeOn(worker);
        if (free.Count == 0 || Current.Queue.IsEmpty) return [];

        var now = clock.UtcNow;
        var queue = _index.Queue;

        // Gang reservations are chosen over the whole pool, so the requesting worker's devices are held
        // back when it is the one draining for a long-waiting multi-device run.
        var reservations = GangReservations.Choose(
            queue, WorkerView(liveSince: now - 2 * LeaseTtl), [.. Current.Reservations.Select(r => new GangReservation(r.WorkerId, r.RunKey))], now,
            options.Value.GangWaitBound, options.Value.MaxGangReservations);
        // Reservations are chosen again on every request; a change is written with the placement, or later (Remember).
        var held = reservations.Select(r => new PoolReservation(r.WorkerId, r.RunId)).ToImmutableArray();
        var reserved = held.SequenceEqual(Current.Reservations) ? Current.Reservations : held;

        // A worker a preemption freed is held for the run it was freed for, before any gang reservation of it.
        var holds = Current.PreemptionHolds.Where(h => _index.Entry(h.RunKey) is not null).Select(h => new GangReservation(h.WorkerId, h.RunKey)).ToList();
        List<GangReservation> reservedFor = [.. holds, .. reservations.Where(r => !holds.Any(h => h.WorkerId == r.WorkerId || h.RunId == r.RunId))];
        _index.Refresh(Current, now);
        var decision = FairSharePolicy.Decide(_index.Index, queue, free, reservedFor);
        _check?.Decided(Current, now, queue, free, reservedFor, decision);
        if (decision.Placements.Count == 0)
        {
            if (reserved != Current.Reservations) Remember(Current with { Reservations = reserved });
            return [];
        }

        var leases = new List<PoolLease>();
        var number = Current.NextLease;
        foreach (var placement in decision.Placements)
        {
            leases.Add(new PoolLease(
                $"{worker.WorkerId}/{number++}", _index.Entry(placement.RunId)!, worker.WorkerId, [.. placement.DeviceIds], now, now + LeaseTtl));
        }

        var placed = decision.Placements.Select(p => p.RunId).ToHashSet(StringComparer.Ordinal);
        await Save(Current with
        {
            Queue = Without(Current.Queue, leases.Select(l => l.Entry)),
            Leases = Current.Leases.AddRange(leases),
            NextLease = number,
            Reservations = reserved,
            PreemptionHolds = Current.PreemptionHolds.IsEmpty ? Current.PreemptionHolds
                : Current.PreemptionHolds.RemoveAll(h => placed.Contains(h.RunKey) || _index.Entry(h.RunKey) is null),
        });
        foreach (var lease in leases) GrainMetrics.QueueWaited(lease.Entry.PriorityClass, now - (lease.Entry.QueuedAt ?? lease.Entry.EnqueuedAt));
        return leases;
    }

    internal static QueuedRun ToQueuedRun(QueueEntry e) => new(
        e.RunKey, e.TenantId, e.Priority, e.EnqueuedAt, e.DevicesNeeded, e.DeviceKind, ClassOf(e), e.MemoryBytes);

    /// <summary>
    /// Registered workers' devices by kind and memory, with how many are not leased; only workers heard from
    /// since <paramref name="liveSince"/> when given (holding a worker that no longer asks for leases helps no one).
    /// </summary>
    private IReadOnlyList<WorkerDevices> WorkerView(DateTimeOffset? liveSince = null) =>
        liveSince is { } since ? _index.LiveWorkers(Current, since) : _index.AllWorkers(Current);

    /// <summary>Tells the run it is leased. Null when the run refused (it left the queue, e.g. cancelled) or could not be reached.</summary>
    private async Task<LeaseGrant?> Hand(PoolLease lease)
    {
        var run = GrainFactory.GetGrain<IRunGrain>(lease.Entry.RunKey);
        var info = new Contracts.Runs.LeaseInfo(lease.LeaseId, lease.WorkerId, lease.DeviceIds);
        LeaseAcceptance acceptance;
        try
        {
            acceptance = await run.MarkLeased(info, $"leased to worker '{lease.WorkerId}' on {string.Join(", ", lease.DeviceIds)}");
        }
        catch (Exception) when (LeaseOf(lease.LeaseId) is not null)
        {
            // Unreachable run: give its devices back and keep it queued for a later request.
            await Save(Queued(Current with { Leases = Current.Leases.Remove(lease) }, lease.Entry, clock.UtcNow));
            return null;
        }

        if (!acceptance.Accepted || acceptance.Work is null)
        {
            await Save(Current with { Leases = Current.Leases.Remove(lease) });
            return null;
        }

        return new LeaseGrant(lease.LeaseId, lease.Entry.RunKey, lease.Entry.TenantId, lease.DeviceIds, lease.ExpiresAt, acceptance.Work);
    }

    /// <summary>
    /// Removes a lease and charges its device-hours to its tenant. A preemption of it still under way ends as
    /// "lease_ended" (the run finished, or its worker was lost), and the worker stays held for the run it was for.
    /// </summary>
    private static GpuPoolState End(GpuPoolState state, PoolLease lease, DateTimeOffset now)
    {
        var tenantId = lease.Entry.TenantId;
        var account = state.Tenants.FirstOrDefault(t => t.TenantId == tenantId) ?? TenantAccount.Default(tenantId);
        var ended = state with { Leases = WithoutLease(state.Leases, lease) };
        if (ended.Preempting.FirstOrDefault(p => p.LeaseId == lease.LeaseId) is { } preemption)
        {
            ended = Concluded(ended, preemption, PreemptionOutcomes.LeaseEnded, now);
            GrainMetrics.Preemption(preemption.TenantId, preemption.Reason, PreemptionOutcomes.LeaseEnded);
        }
        return WithAccount(ended, account with { DeviceHoursUsed = account.DeviceHoursUsed + lease.DeviceHours(now) });
    }

    /// <summary>
    /// Ends a preempted lease: the run records the preemption and answers its queue entry (the run is told first, as in the sweep, so a
    /// failure before the save repeats harmlessly), the lease ends, the run is queued again and the worker is held for the run it made room for.
    /// </summary>
    private async Task<GpuPoolState> EndPreempted(GpuPoolState state, PoolLease lease, PreemptionStatus preemption, string outcome, long? step, DateTimeOffset now)
    {
        var record = new RunPreemption(now, preemption.Reason, ForVictim(preemption, lease.Entry), SameTenant(preemption) ? preemption.ForRunKey : "",
            outcome, step, preemption.AskedAt);
        var returned = await GrainFactory.GetGrain<IRunGrain>(lease.Entry.RunKey).Preempted(lease.LeaseId, record);
        // The ended entry is recorded first, so End finds no preemption under way and counts it once, with this outcome.
        var next = End(Concluded(state, preemption, outcome, now), lease, now);
        GrainMetrics.Preemption(preemption.TenantId, preemption.Reason, outcome);
        var window = now - options.Value.PreemptionWindow;
        if (next.Preempted.Count(p => p.RunKey == lease.Entry.RunKey && p.Outcome != PreemptionOutcomes.LeaseEnded && p.AskedAt > window)
            == options.Value.PreemptionProtectAfter)
        {
            GrainMetrics.RunProtected(lease.Entry.TenantId);
        }
        return returned.Entry is { } entry ? Queued(next, entry, now) : next;
    }

    /// <summary>Moves a preemption from under way to the history (newest first; kept while within a day or among the latest), holding its worker.</summary>
    private static GpuPoolState Concluded(GpuPoolState state, PreemptionStatus preemption, string outcome, DateTimeOffset now)
    {
        var ended = preemption with { Outcome = outcome, EndedAt = now };
        var history = state.Preempted.Insert(0, ended);
        // Bounded: every entry of the last day counts for protection windows up to a day; the cap keeps a storm from growing the state.
        history = [.. history.Where((p, i) => i < PreemptionStatus.HistoryLength || p.AskedAt > now - TimeSpan.FromDays(1)).Take(10 * PreemptionStatus.HistoryLength)];
        var hold = new PoolReservation(preemption.WorkerId, preemption.ForRunKey);
        return state with
        {
            Preempting = state.Preempting.RemoveAll(p => p.LeaseId == preemption.LeaseId),
            Preempted = history,
            PreemptionHolds = state.PreemptionHolds.Any(h => h.WorkerId == hold.WorkerId || h.RunKey == hold.RunKey) ? state.PreemptionHolds : state.PreemptionHolds.Add(hold),
        };
    }

    /// <summary>
    /// Asks <see cref="PreemptionPolicy.Plan"/> for room for queued runs that fit on no free device, and marks each victim's lease: its worker
    /// is told to checkpoint, with a grace deadline. Workers already freeing devices for a run are held out of the plan, as are their runs.
    /// True when it marked any.
    /// </summary>
    private async Task<bool> PlanPreemptions()
    {
        if (Current.Queue.IsEmpty || _index.Index.RunningCount == 0) return false;
        var now = clock.UtcNow;
        var preempting = Current.Preempting.Select(p => p.LeaseId).ToHashSet(StringComparer.Ordinal);
        // Workers being freed (or freed and held) for a run are not planned on again, nor are the runs they are for.
        var held = Current.Preempting.Select(p => new GangReservation(p.WorkerId, p.ForRunKey))
            .Concat(Current.PreemptionHolds.Select(h => new GangReservation(h.WorkerId, h.RunKey)))
            .Concat(Current.Reservations.Select(r => new GangReservation(r.WorkerId, r.RunKey)))
            .ToList();
        var rules = new PreemptionRules(options.Value.PreemptionProtectAfter, options.Value.PreemptionWindow, options.Value.MaxPreemptionPlans);
        var queue = _index.Queue;
        var workers = WorkerView(liveSince: now - 2 * LeaseTtl);
        _index.Refresh(Current, now);
        var plans = PreemptionPolicy.Plan(_index.Index, queue, workers, held, now, rules);
        _check?.Planned(Current, now, queue, workers, held, rules, plans);
        if (plans.Count == 0) return false;

        var marked = ImmutableArray.CreateBuilder<PreemptionStatus>();
        foreach (var plan in plans)
        {
            foreach (var victim in plan.Victims)
            {
                var lease = Current.Leases.First(l => l.Entry.RunKey == victim.RunId && !preempting.Contains(l.LeaseId)); // rare: a plan was made
                marked.Add(new PreemptionStatus(lease.LeaseId, victim.RunId, victim.TenantId, lease.WorkerId, plan.RunId, plan.TenantId,
                    ReasonName(victim.Reason), victim.Explanation, now, now + options.Value.PreemptionGrace, null, null));
            }
        }

        // Written before any worker hears of it (Heartbeat), with the next write, or on deactivation; a mark lost in a crash is planned again.
        Remember(Current with { Preempting = Current.Preempting.AddRange(marked) });
        _marksUnwritten = true;
        return true;
    }

    private static bool SameTenant(PreemptionStatus preemption) => preemption.TenantId == preemption.ForTenantId;

    /// <summary>
    /// The reason as the victim's tenant reads it on its run: another tenant's run is never named (its existence is not the victim's
    /// to know), only its class or that a guarantee is reclaimed.
    /// </summary>
    private static string ForVictim(PreemptionStatus preemption, QueueEntry victim)
    {
        var by = SameTenant(preemption) ? $"run '{GrainKeys.LeafOf(preemption.ForRunKey)}' of this tenant" : "another tenant's run";
        return preemption.Reason == PreemptionOutcomes.HigherClass
            ? $"preempted for {by} of a higher class than {victim.PriorityClass}"
            : $"preempted: {(SameTenant(preemption) ? "this tenant" : "another tenant")} holds fewer than its guaranteed devices and reclaims devices lent to this tenant";
    }

    internal static PriorityClass ClassOf(QueueEntry e) =>
        PriorityClasses.TryParse(e.PriorityClass, out var priorityClass) ? priorityClass : PriorityClass.Normal;

    private static string ReasonName(PreemptionReason reason) => reason switch
    {
        PreemptionReason.HigherClass => PreemptionOutcomes.HigherClass,
        _ => PreemptionOutcomes.ReclaimGuarantee,
    };

    /// <summary>The worker added, or put in its place (the list keeps its order, which keeps the index's differences cheap).</summary>
    private GpuPoolState WithWorker(GpuPoolState state, PoolWorker worker)
    {
        var known = _index.Worker(worker.Registration.WorkerId);
        var at = known is null ? -1 : state.Workers.IndexOf(known, ReferenceEqualityComparer.Instance);
        return state with { Workers = at < 0 ? state.Workers.Add(worker) : state.Workers.SetItem(at, worker) };
    }

    /// <summary>The leases with <paramref name="held"/> renewed to <paramref name="expiresAt"/>, in place.</summary>
    private static ImmutableArray<PoolLease> Renewed(ImmutableArray<PoolLease> leases, List<PoolLease> held, DateTimeOffset expiresAt)
    {
        var builder = leases.ToBuilder();
        foreach (var lease in held)
        {
            var at = leases.IndexOf(lease, ReferenceEqualityComparer.Instance);
            if (at >= 0) builder[at] = lease with { ExpiresAt = expiresAt };
        }

        return builder.MoveToImmutable();
    }

    /// <summary>The lease taken out where it is (found by reference, then by id: a state rolled back may hold an equal copy).</summary>
    private static ImmutableArray<PoolLease> WithoutLease(ImmutableArray<PoolLease> leases, PoolLease lease)
    {
        var at = leases.IndexOf(lease, ReferenceEqualityComparer.Instance);
        return at >= 0 ? leases.RemoveAt(at) : leases.RemoveAll(l => l.LeaseId == lease.LeaseId);
    }

    /// <summary>The queue without the runs of <paramref name="entries"/>, each taken out where it is.</summary>
    private static ImmutableArray<QueueEntry> Without(ImmutableArray<QueueEntry> queue, IEnumerable<QueueEntry> entries)
    {
        var removed = entries.ToList();
        if (removed.Count > 4) return queue.RemoveAll(e => removed.Any(r => r.RunKey == e.RunKey));
        foreach (var entry in removed)
        {
            var at = queue.IndexOf(entry, ReferenceEqualityComparer.Instance);
            queue = at >= 0 ? queue.RemoveAt(at) : queue.RemoveAll(e => e.RunKey == entry.RunKey);
        }

        return queue;
    }

    private static GpuPoolState WithAccount(GpuPoolState state, TenantAccount account) => state with
    {
        Tenants = state.Tenants.RemoveAll(t => t.TenantId == account.TenantId).Add(account),
    };

    /// <summary>Puts a run on the queue unless it is there already.</summary>
    private GpuPoolState Queued(GpuPoolState state, QueueEntry entry, DateTimeOffset now)
    {
        // The index answers for the queue it was kept with; a queue changed on the way (a sweep ending several leases) is read.
        var queued = state.Queue == Current.Queue ? _index.Entry(entry.RunKey) is not null : state.Queue.Any(e => e.RunKey == entry.RunKey);
        return queued ? state : state with { Queue = state.Queue.Add(entry with { QueuedAt = now }) };
    }

    /// <summary>A heartbeat (what renews leases) was heard, whether or not storage takes its renewal.</summary>
    private void Heard(string workerId)
    {
        if (!string.IsNullOrEmpty(workerId)) _heard[workerId] = clock.UtcNow;
    }

    private PoolWorker? WorkerOf(string workerId) => _index.Worker(workerId);

    private PoolLease? LeaseOf(string leaseId) => _index.Lease(leaseId);

    private TenantAccount Account(string tenantId) =>
        Current.Tenants.FirstOrDefault(t => t.TenantId == tenantId) ?? TenantAccount.Default(tenantId);

    private TenantAllocation Allocation(string tenantId, DateTimeOffset now)
    {
        var account = Account(tenantId);
        return new TenantAllocation(
            tenantId, account.Weight, account.MaxConcurrentDevices, account.DeviceHoursBudget,
            Current.Leases.Where(l => l.Entry.TenantId == tenantId).Sum(l => l.DeviceIds.Length),
            DeviceHoursUsed(account, now),
            Current.Queue.Count(e => e.TenantId == tenantId))
        {
            GuaranteedDevices = account.GuaranteedDevices,
        };
    }

    /// <summary>Hours of ended leases plus those of live leases so far.</summary>
    private double DeviceHoursUsed(TenantAccount account, DateTimeOffset now) =>
        account.DeviceHoursUsed + Current.Leases.Where(l => l.Entry.TenantId == account.TenantId).Sum(l => l.DeviceHours(now));

    private async Task EnsureSweepReminder()
    {
        if (_reminderRegistered) return;
        await this.RegisterOrUpdateReminder(SweepReminder, options.Value.SweepPeriod, options.Value.SweepPeriod);
        _reminderRegistered = true;
    }

    /// <summary>Saves the state, with whatever was kept in memory only, then applies its changes to the index (a failed save changes neither).</summary>
    private async Task Save(GpuPoolState next)
    {
        var before = Current;
        await pool.SaveOrRollBack(next, "pool");
        _unwrittenSince = null;
        _marksUnwritten = false;
        _index.Apply(before, Current);
        _check?.Saved(Current, clock.UtcNow, _index);
    }

    /// <summary>
    /// Changes the state in memory only, for what need not survive a silo crash on its own (see the class summary): the next write
    /// takes it along, and a failed write keeps it in memory.
    /// </summary>
    private void Remember(GpuPoolState next)
    {
        if (ReferenceEquals(next, Current)) return;
        var before = Current;
        pool.State = next;
        _unwrittenSince ??= clock.UtcNow;
        _index.Apply(before, Current);
        _check?.Kept(Current, clock.UtcNow, _index);
    }

    /// <summary>
    /// Why a queued run fits no registered worker, as a sentence that names the largest device there is:
    /// "needs 9.3 GiB per device; the largest cuda device has 8.0 GiB (worker w1 cuda:0)".
    /// </summary>
    private string Unplaceable(WaitReason reason, QueueEntry entry)
    {
        var kind = entry.DeviceKind == DeviceKind.Any ? "" : entry.DeviceKind + " ";
        if (reason != WaitReason.NotEnoughMemory)
            return $"needs {entry.DevicesNeeded} {kind}device{(entry.DevicesNeeded == 1 ? "" : "s")} on one worker; no registered worker has that many";
        var devices = Current.Workers
            .SelectMany(w => w.Registration.Devices.IsDefault ? [] : w.Registration.Devices.Select(d => (w.Registration.WorkerId, Device: d)))
            .Where(x => entry.DeviceKind == DeviceKind.Any || x.Device.Kind == entry.DeviceKind)
            .ToList();
        var need = $"needs {RunMemoryEstimate.Size(entry.MemoryBytes ?? 0)} per device";
        var largest = devices.Where(x => x.Device.MemoryBytes is not null)
            .OrderByDescending(x => x.Device.MemoryBytes).ThenBy(x => x.WorkerId, StringComparer.Ordinal).ThenBy(x => x.Device.DeviceId, StringComparer.Ordinal)
            .FirstOrDefault();
        return largest.Device is { MemoryBytes: { } most }
            ? $"{need}; the largest {kind}device has {RunMemoryEstimate.Size(most)} (worker {largest.WorkerId} {largest.Device.DeviceId})"
            : $"{need}; no registered {kind}device reports its memory";
    }

    private static void ValidateRegistration(WorkerRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (string.IsNullOrWhiteSpace(registration.WorkerId)) throw new ArgumentException("A worker needs an id.", nameof(registration));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var device in registration.Devices.IsDefault ? [] : registration.Devices)
        {
            if (string.IsNullOrWhiteSpace(device.DeviceId) || string.IsNullOrWhiteSpace(device.Kind) || device.Kind == DeviceKind.Any)
            {
                throw new ArgumentException($"Worker '{registration.WorkerId}': device '{device.DeviceId}' needs an id and a kind such as 'cuda' or 'cpu'.", nameof(registration));
            }

            if (device.MemoryBytes is <= 0)
            {
                throw new ArgumentException($"Worker '{registration.WorkerId}': device '{device.DeviceId}' reports {device.MemoryBytes} bytes of memory; give a number > 0 or none.", nameof(registration));
            }

            if (!seen.Add(device.DeviceId))
            {
                throw new ArgumentException($"Worker '{registration.WorkerId}': device '{device.DeviceId}' is listed twice.", nameof(registration));
            }
        }
    }

    private static void ValidateEntry(QueueEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (string.IsNullOrEmpty(entry.RunKey) || string.IsNullOrEmpty(entry.TenantId) || string.IsNullOrEmpty(entry.DeviceKind) || entry.DevicesNeeded < 1)
        {
            throw new ArgumentException($"Queue entry '{entry.RunKey}' needs a run key, a tenant, a device kind and at least one device.", nameof(entry));
        }

        if (!PriorityClasses.TryParse(entry.PriorityClass, out _) || entry.MemoryBytes is <= 0)
        {
            throw new ArgumentException($"Queue entry '{entry.RunKey}': class must be one of {string.Join(", ", PriorityClasses.Names)} and memory > 0 bytes when given.", nameof(entry));
        }
    }
}
