namespace ForgetLab.Bench.Scheduler.Simulation;

/// <summary>Which policy the simulator drives.</summary>
/// <param name="Name">As the tables show it.</param>
/// <param name="Classes">Runs carry their class (otherwise all are normal).</param>
/// <param name="Guarantees">Tenants carry their guaranteed devices.</param>
/// <param name="MemoryFit">Runs declare their memory and devices report theirs.</param>
/// <param name="GangReservation">Multi-device runs past the bound reserve a draining worker.</param>
/// <param name="Preemption">Cooperative checkpoint-then-preempt by higher classes and guarantee reclaim.</param>
internal sealed record PolicyVariant(string Name, bool Classes, bool Guarantees, bool MemoryFit, bool GangReservation, bool Preemption)
{
    /// <summary>The policy on main before issue 15: weighted fair share, priority then age, nothing else.</summary>
    public static PolicyVariant Today { get; } = new("today", false, false, false, false, false);

    /// <summary>Today's policy told the runs' memory: separates what memory fit alone buys from the rest.</summary>
    public static PolicyVariant TodayWithMemoryFit { get; } = new("today + memory fit", false, false, true, false, false);

    public static PolicyVariant New { get; } = new("new", true, true, true, true, true);

    /// <summary>The new policy without gang reservation, to show what reservation costs and buys.</summary>
    public static PolicyVariant NewWithoutReservation { get; } = new("new, no gang reservation", true, true, true, false, true);
}
