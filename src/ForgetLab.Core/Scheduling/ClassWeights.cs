namespace ForgetLab.Core.Scheduling;

/// <summary>
/// How much each class weighs in the ordering across tenants: a tenant whose best waiting run is of
/// class c competes with load allocated / (tenant weight · weight(c)), so with the defaults a high run
/// of a tenant holding four devices ties with a normal run of a tenant holding one. With every run
/// normal the ordering is the plain weighted fair share.
/// </summary>
public sealed record ClassWeights(double Low, double Normal, double High)
{
    public static ClassWeights Default { get; } = new(0.5, 1, 4);

    public double Of(PriorityClass priorityClass) => priorityClass switch
    {
        PriorityClass.Low => Low,
        PriorityClass.High => High,
        _ => Normal,
    };

    internal void Validate()
    {
        foreach (var (name, weight) in new[] { ("low", Low), ("normal", Normal), ("high", High) })
        {
            if (!(weight > 0) || !double.IsFinite(weight))
            {
                throw new ArgumentException($"Class weight '{name}' must be a finite number > 0, got {weight}.");
            }
        }
    }
}
