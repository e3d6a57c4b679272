using ForgetLab.Contracts.Runs;

namespace ForgetLab.Contracts.Experiments;

/// <summary>One run in an experiment's list.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RunSummary")]
public sealed record RunSummary(
    [property: Id(0)] string RunId,
    [property: Id(1)] RunState State,
    [property: Id(2)] long LastStep,
    [property: Id(3)] int Checkpoints);
