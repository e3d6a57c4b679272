namespace ForgetLab.Core.Scheduling;

/// <summary>
/// A run's class across tenants (Kueue's WorkloadPriorityClass, Slurm's QOS). The class weighs in
/// the fair-share ordering (<see cref="ClassWeights"/>) and decides who may preempt whom: only a
/// strictly higher class preempts. Per-tenant <see cref="QueuedRun.Priority"/> orders runs within a
/// tenant after the class.
/// </summary>
public enum PriorityClass
{
    Low = 0,
    Normal = 1,
    High = 2,
}
