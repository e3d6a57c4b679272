namespace ForgetLab.Core.Scheduling;

/// <summary>
/// What a run asks of the pool. Within a round, devices only get scarcer and allocations only grow,
/// so once a shape does not fit it stays unfit: the policy drops it instead of rescanning runs.
/// </summary>
internal readonly record struct RunShape(string Kind, int Devices, long? MemoryBytes);
