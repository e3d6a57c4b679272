using System.Collections.Immutable;

namespace ForgetLab.Grains.Runs;

/// <summary>
/// How a per-step curve stays bounded in grain state: every point until the capacity, then every other point is dropped
/// (the first kept) and from then on a point is kept only a stride or more after the last kept one (the kept points' mean
/// gap), so a run of any length keeps at most the capacity, spread evenly over all its steps.
/// </summary>
internal static class StepThinning
{
    /// <summary>
    /// <paramref name="points"/> with <paramref name="point"/> added, and the stride from then on; unchanged for a step not
    /// after the latest kept (a repeated or replayed report: the curve stays ordered and a report counts once) or within the stride.
    /// </summary>
    public static (ImmutableArray<T> Points, long Stride) Add<T>(ImmutableArray<T> points, long stride, T point, Func<T, long> stepOf, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 3);
        points = points.IsDefault ? [] : points;
        if (points.Length > 0 && stepOf(point) < stepOf(points[^1]) + Math.Max(1, stride)) return (points, stride);
        if (points.Length < capacity) return (points.Add(point), stride);

        ImmutableArray<T> halved = [.. points.Where((_, i) => i % 2 == 0)];
        var wider = (stepOf(halved[^1]) - stepOf(halved[0])) / (halved.Length - 1);
        return stepOf(point) < stepOf(halved[^1]) + wider ? (halved, wider) : (halved.Add(point), wider);
    }
}
