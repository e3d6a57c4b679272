using ForgetLab.Dashboard.Data;

namespace ForgetLab.Dashboard.Tests;

/// <summary>An in-memory <see cref="IPoolMetrics"/>: no Prometheus until a test sets <see cref="Source"/> and the charts.</summary>
public sealed class FakePoolMetrics : IPoolMetrics
{
    public Uri? Source { get; set; }

    public IReadOnlyList<PoolChart> Answer { get; set; } = [];

    /// <summary>When set, <see cref="Charts"/> throws it instead of answering.</summary>
    public Exception? Failure { get; set; }

    public List<TimeSpan> Asked { get; } = [];

    public Task<IReadOnlyList<PoolChart>> Charts(TimeSpan window, CancellationToken cancel)
    {
        Asked.Add(window);
        return Failure is { } e ? Task.FromException<IReadOnlyList<PoolChart>>(e) : Task.FromResult(Answer);
    }
}
