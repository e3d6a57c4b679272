using ForgetLab.Contracts.Pool;
using ForgetLab.Dashboard.Components;
using ForgetLab.Dashboard.Data;
using Microsoft.AspNetCore.Components;

namespace ForgetLab.Dashboard.Pages.Pool;

/// <summary>Workers, devices busy, free or held, leases, the queue with classes and reasons, and each tenant's fair share; platform admins only, live.</summary>
public partial class PoolPage : LivePage
{
    private PoolSnapshot? _pool;
    private bool _loaded;

    protected override bool KeepRefreshing => _pool is not null;

    protected override async Task Load()
    {
        _pool = await Data.Pool(await User(), Stopping);
        _loaded = true;
    }

    /// <summary>The pool's loop protection as configured (GpuPoolOptions, whose defaults are PreemptionRules.Default), in words.</summary>
    internal static string Protection(PoolSnapshot pool) => pool.PreemptionProtectAfter <= 0
        ? "No run is preempted (the protection limit is 0)."
        : $"A run preempted {pool.PreemptionProtectAfter} time{(pool.PreemptionProtectAfter == 1 ? "" : "s")} in {Span(pool.PreemptionWindow)} is left alone.";

    private static string Span(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? $"{span.TotalHours:0} hour{(span.TotalHours == 1 ? "" : "s")}"
        : span.TotalMinutes == Math.Floor(span.TotalMinutes) ? $"{span.TotalMinutes:0} minute{(span.TotalMinutes == 1 ? "" : "s")}"
        : $"{span.TotalSeconds:0} seconds";

    private static int Devices(PoolSnapshot pool) => pool.Workers.Sum(w => w.Devices.Length);

    private static int Busy(PoolSnapshot pool) => pool.Leases.Sum(l => l.DeviceIds.Length);

    private static string Memory(long? bytes) => MemoryText.Size(bytes);

    /// <summary>"free", or "held for RUN" when the worker is reserved for a queued multi-device run.</summary>
    private static string Held(PoolSnapshot pool, string workerId) =>
        pool.Queued.FirstOrDefault(q => q.ReservedWorker == workerId) is { } q ? $"free, held for {q.RunKey}" : "free";
}
