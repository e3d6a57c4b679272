namespace ForgetLab.Grains.Hosting;

/// <summary>
/// The clock grains read for timestamps and lease expiry. A wrapper rather than the silo's own
/// <see cref="TimeProvider"/>, so tests can move the platform's time (leases, logs) with a fake
/// clock without moving Orleans' membership and messaging clocks too.
/// </summary>
public sealed class PlatformClock(TimeProvider time)
{
    public TimeProvider Time { get; } = time;

    public DateTimeOffset UtcNow => Time.GetUtcNow();
}
