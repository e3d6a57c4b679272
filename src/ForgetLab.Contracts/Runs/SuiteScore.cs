namespace ForgetLab.Contracts.Runs;

/// <summary>A checkpoint's score on one capability suite.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.SuiteScore")]
public sealed record SuiteScore(
    [property: Id(0)] string Suite,
    [property: Id(1)] double Score)
{
    /// <summary>
    /// For a suite that enters target gain or forgetting: which, its paired delta against the base and the delta's 95%
    /// interval (points), which the experiment's search compares runs by; null for other suites and from older workers.
    /// </summary>
    [Id(2)] public SuiteObjective? Objective { get; init; }
}
