namespace ForgetLab.Contracts.Runs;

/// <summary>One entry of a run's transition log.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RunTransition")]
public sealed record RunTransition(
    [property: Id(0)] RunState From,
    [property: Id(1)] RunState To,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string Reason);
