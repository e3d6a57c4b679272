namespace ForgetLab.Worker.Outages;

/// <summary>
/// How long a worker waits before its next try at an unreachable server or storage: exponential from
/// <see cref="Initial"/>, doubling per failure, capped at <see cref="Max"/>, with "equal jitter" (half the
/// ceiling fixed, half random) so the workers of a pool do not all knock at the same instant when a
/// server comes back. The waits run on <paramref name="time"/>, so tests move a fake clock instead of sleeping.
/// </summary>
public sealed class ReconnectBackoff(TimeSpan initial, TimeSpan max, TimeProvider time, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    public TimeSpan Initial => initial;

    public TimeSpan Max => max;

    public TimeProvider Time => time;

    public static ReconnectBackoff From(WorkerOptions options, TimeProvider time) =>
        new(TimeSpan.FromSeconds(options.ReconnectInitialSeconds), TimeSpan.FromSeconds(options.ReconnectMaxSeconds), time);

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row (1, 2, …): within [ceiling / 2, ceiling].</summary>
    public TimeSpan DelayAfter(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        // 2^30 × any sane initial is past the cap; the exponent is clamped so the double never overflows.
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30)));
        double jitter;
        lock (_random) jitter = _random.NextDouble();
        return TimeSpan.FromMilliseconds(ceiling / 2 + jitter * ceiling / 2);
    }

    public Task Wait(int failures, CancellationToken cancel) => Task.Delay(DelayAfter(failures), time, cancel);
}
