namespace ForgetLab.Contracts.Runs;

/// <summary>One declared reward component's mean (unweighted) over a point's steps.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RewardComponentMean")]
public sealed record RewardComponentMean(
    [property: Id(0)] string Name,
    [property: Id(1)] double Mean);
