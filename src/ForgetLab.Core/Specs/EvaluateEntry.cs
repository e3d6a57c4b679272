namespace ForgetLab.Core.Specs;

/// <summary>
/// One model of an evaluation-only spec (<c>evaluate: [{ name, path | model_ref }]</c>): trained elsewhere,
/// evaluated on every suite and reported against the spec's base like a run. <see cref="Path"/> is a folder
/// (a full Hugging Face model folder, a ForgetLab checkpoint, or a PEFT adapter folder: the lab tells which
/// when it loads it); <see cref="ModelRef"/> a model of the tenant's registry on the platform. Exactly one is set.
/// </summary>
public sealed record EvaluateEntry
{
    /// <summary>The run's name in the report: the spec-name rule, unique in the list.</summary>
    public required string Name { get; init; }

    /// <summary>Full path of the folder; null for a registered model.</summary>
    public string? Path { get; init; }

    /// <summary>Name of a model in the submitting tenant's registry; null for a folder.</summary>
    public string? ModelRef { get; init; }

    /// <summary>The 1-based line of the entry in the spec, so the lab's refusals of its folder point at it.</summary>
    public int Line { get; init; }
}
