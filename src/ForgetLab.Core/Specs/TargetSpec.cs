namespace ForgetLab.Core.Specs;

/// <summary>What the fine-tuning is meant to teach: one of the built-in world's tasks, or the user's own <see cref="Data"/>.</summary>
public sealed record TargetSpec
{
    /// <summary>The kind of built-in target. Required in YAML unless <c>data</c> is given.</summary>
    public TargetTask Task { get; init; } = TargetTask.ConflictingFacts;

    /// <summary>
    /// How many items the target has: countries re-assigned (conflicting_facts), new entities
    /// (new_entities) or examples (format). Default 40; 1..100,000.
    /// </summary>
    public int Count { get; init; } = 40;

    /// <summary>The user's fine-tuning set (<c>target.data</c> and its settings); null for a built-in task.</summary>
    public TargetDataSpec? Data { get; init; }
}
