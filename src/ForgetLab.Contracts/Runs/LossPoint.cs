namespace ForgetLab.Contracts.Runs;

/// <summary>The training loss a worker reported at a step.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.LossPoint")]
public sealed record LossPoint(
    [property: Id(0)] long Step,
    [property: Id(1)] double Loss);
