namespace ForgetLab.Contracts.Experiments;

/// <summary>A run the search stopped at a rung: "dominated at step N by …".</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RungStop")]
public sealed record RungStop(
    [property: Id(0)] string Run,
    [property: Id(1)] string Reason);
