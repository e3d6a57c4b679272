namespace ForgetLab.Core.Specs;

/// <summary>
/// What each run of the experiment needs of a device (<c>resources:</c> in the spec). The pool places a
/// run only on devices that report at least this much memory (a GPU's memory, a CPU slot's share of
/// RAM); a run that fits no registered device stays queued and says so. Until the platform estimates a
/// run's memory from its model and method, this declared figure is the requirement.
/// </summary>
public sealed record ResourcesSpec
{
    /// <summary>Memory per device in GiB (2³⁰ bytes), greater than 0 and at most <see cref="MaxMemoryGb"/>; null when not declared.</summary>
    public double? MemoryGb { get; init; }

    public const double MaxMemoryGb = 65_536;

    /// <summary>The declared memory in bytes, or null.</summary>
    public long? MemoryBytes => MemoryGb is { } gb ? (long)Math.Ceiling(gb * (1L << 30)) : null;
}
