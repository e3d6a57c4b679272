namespace ForgetLab.Core.Specs;

/// <summary>
/// The user's fine-tuning set: a JSONL file of <c>{"prompt","completion"}</c>, <c>{"messages":[…]}</c> or
/// <c>{"text"}</c> lines (docs/own-data.md). Its held-out part — <see cref="EvalSplit"/> of it, or the whole of
/// <see cref="EvalPath"/> — becomes the <c>target</c> suite, so the target gain is measured on examples not trained on.
/// The loss switches keep TRL's <c>SFTConfig</c> names.
/// </summary>
public sealed record TargetDataSpec
{
    /// <summary>The file as the spec wrote it (what the report names).</summary>
    public required string Path { get; init; }

    /// <summary>Its full path.</summary>
    public required string FullPath { get; init; }

    /// <summary>Examples of <see cref="Path"/> held out (seeded by the spec's seed); null when none are.</summary>
    public EvalSplit? EvalSplit { get; init; }

    /// <summary>A second file, held out whole (as written, and full); null when none.</summary>
    public string? EvalPath { get; init; }

    public string? EvalFullPath { get; init; }

    /// <summary>A Jinja chat template file for <c>messages</c> lines (as written, and full); null: the base's <c>chat_template</c>.</summary>
    public string? ChatTemplatePath { get; init; }

    public string? ChatTemplateFullPath { get; init; }

    /// <summary>Prompt/completion lines: loss on the completion only (TRL's <c>completion_only_loss</c>). Default true.</summary>
    public bool CompletionOnlyLoss { get; init; } = true;

    /// <summary>
    /// Messages lines: loss on the assistant turns only (TRL's <c>assistant_only_loss</c>). Default true here
    /// (TRL's default is false), as the loss falls on what the model is meant to say.
    /// </summary>
    public bool AssistantOnlyLoss { get; init; } = true;

    /// <summary>An example longer than the base's context: refused (default) or cut to it.</summary>
    public TooLongPolicy TooLong { get; init; } = TooLongPolicy.Refuse;

    /// <summary>Whether there are held-out examples to make a <c>target</c> suite of.</summary>
    public bool HasHeldOut => EvalSplit is not null || EvalPath is not null;
}
