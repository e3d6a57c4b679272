namespace ForgetLab.Core.Scheduling;

/// <summary>Order of runs within a tenant: higher class, then higher priority, then older, then run id (so the order is total).</summary>
internal sealed class RunOrder : IComparer<QueuedRun>
{
    public static RunOrder Instance { get; } = new();

    public int Compare(QueuedRun? x, QueuedRun? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var byClass = y.Class.CompareTo(x.Class);
        if (byClass != 0) return byClass;
        var byPriority = y.Priority.CompareTo(x.Priority);
        if (byPriority != 0) return byPriority;
        var byAge = x.EnqueuedAt.CompareTo(y.EnqueuedAt);
        return byAge != 0 ? byAge : string.CompareOrdinal(x.RunId, y.RunId);
    }
}
