using System.Collections.Immutable;
using ForgetLab.Contracts.Runs;

namespace ForgetLab.Grains.Runs;

/// <summary>
/// A reward fine-tuning run's reward, KL, entropy and length curves in bounded state: the points its worker reports while it
/// trains (each the means since the previous report), thinned as <see cref="LossHistory"/> is (<see cref="StepThinning"/>) to at
/// most <see cref="Capacity"/> points. Half the loss curve's capacity: a point holds a value per reward component.
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RlHistory")]
public sealed record RlHistory(
    [property: Id(0)] ImmutableArray<RlStepPoint> Points,
    [property: Id(1)] long Stride)
{
    public const int Capacity = 256;

    public static RlHistory Empty { get; } = new([], 0);

    /// <summary>
    /// The history with <paramref name="point"/> added; unchanged for a step not after the latest kept (a repeated or replayed
    /// report), one within the stride, and a point whose reward or length is not finite (it cannot be drawn).
    /// </summary>
    public RlHistory Add(RlStepPoint point, int capacity = Capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 3);
        if (!double.IsFinite(point.Reward) || !double.IsFinite(point.ResponseLength)) return this;
        var (points, stride) = StepThinning.Add(Points, Stride, point, p => p.Step, capacity);
        return new RlHistory(points, stride);
    }
}
