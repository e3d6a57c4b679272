namespace ForgetLab.Contracts.Experiments;

/// <summary>A run the search stopped at a rung: "dominated at step N by …".</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RungStop")]
public sealed record RungStop(
    [property: Id(0)] string Run,
    [property: Id(1)] string Reason)
{
    /// <summary>Every run that dominates it was compared with it by the paired run-vs-run test on the same items.</summary>
    public const string PairedTest = "paired";

    /// <summary>At least one domination was decided by the fallback, the runs' intervals against the base (per-item outcomes missing).</summary>
    public const string IntervalsTest = "intervals";

    /// <summary>Which test decided the stop: <see cref="PairedTest"/> or <see cref="IntervalsTest"/> (decisions stored before the paired test were all by intervals).</summary>
    [Id(2)] public string Test { get; init; } = IntervalsTest;
}
