using ForgetLab.Core.Scheduling;

namespace ForgetLab.Bench.Scheduler.Simulation;

/// <summary>One run of an arrival trace: when it arrives, what it asks for, how much work it is.</summary>
/// <param name="Hours">Wall-clock hours of training it needs on its devices, uninterrupted.</param>
/// <param name="MemoryGiB">Memory it needs on each device.</param>
internal sealed record TraceRun(int Index, string Tenant, double Arrival, int Devices, PriorityClass Class, double Hours, int MemoryGiB);
