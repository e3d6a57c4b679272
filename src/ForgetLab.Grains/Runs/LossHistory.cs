using System.Collections.Immutable;
using ForgetLab.Contracts.Runs;

namespace ForgetLab.Grains.Runs;

/// <summary>
/// A run's training-loss curve in bounded state: every reported (step, loss) until
/// <see cref="Capacity"/> points, then every other point is dropped (the first kept) and from then
/// on a report is kept only <see cref="Stride"/> steps or more after the last kept one (the kept
/// points' mean gap), so a run of any length keeps at most <see cref="Capacity"/> points spread
/// evenly over all its steps (<see cref="StepThinning"/>). The latest loss is the run's <c>LastTrainLoss</c> either way.
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.LossHistory")]
public sealed record LossHistory(
    [property: Id(0)] ImmutableArray<LossPoint> Points,
    [property: Id(1)] long Stride)
{
    public const int Capacity = 512;

    public static LossHistory Empty { get; } = new([], 0);

    /// <summary>
    /// The history with <paramref name="point"/> added; unchanged for a step not after the latest
    /// kept (a repeated or replayed report: the curve stays ordered and a report counts once), one
    /// within the stride, and a loss that is not finite (a diverged run's NaN cannot be drawn).
    /// </summary>
    public LossHistory Add(LossPoint point, int capacity = Capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 3);
        if (!double.IsFinite(point.Loss)) return this;
        var (points, stride) = StepThinning.Add(Points, Stride, point, p => p.Step, capacity);
        return new LossHistory(points, stride);
    }
}
