namespace ForgetLab.Contracts.Runs;

/// <summary>What distinguishes a run within its experiment's grid.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RunRecipeInfo")]
public sealed record RunRecipeInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] string Method,
    [property: Id(2)] double Lr,
    [property: Id(3)] int Steps,
    [property: Id(4)] int Seed);
