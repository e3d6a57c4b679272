namespace ForgetLab.Contracts.Runs;

/// <summary>What a worker needs to start or resume a run: the recipe, the spec, and the checkpoint to resume from (null: from scratch).</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.RunWork")]
public sealed record RunWork(
    [property: Id(0)] RunRecipeInfo Recipe,
    [property: Id(1)] string SpecText,
    [property: Id(2)] CheckpointRecord? ResumeFrom);
