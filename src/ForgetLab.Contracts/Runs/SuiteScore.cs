namespace ForgetLab.Contracts.Runs;

/// <summary>A checkpoint's score on one capability suite.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.SuiteScore")]
public sealed record SuiteScore(
    [property: Id(0)] string Suite,
    [property: Id(1)] double Score);
