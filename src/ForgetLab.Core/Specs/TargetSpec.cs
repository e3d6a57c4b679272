namespace ForgetLab.Core.Specs;

/// <summary>What the fine-tuning is meant to teach.</summary>
public sealed record TargetSpec
{
    /// <summary>The kind of target. Required in YAML.</summary>
    public TargetTask Task { get; init; } = TargetTask.ConflictingFacts;

    /// <summary>
    /// How many items the target has: countries re-assigned (conflicting_facts), new entities
    /// (new_entities) or examples (format). Default 40; 1..100,000.
    /// </summary>
    public int Count { get; init; } = 40;
}
