namespace ForgetLab.Core.Specs;

/// <summary>What happens to a fine-tuning example longer than the base's context (YAML <c>target.too_long</c>: refuse | truncate).</summary>
public enum TooLongPolicy
{
    /// <summary>The data is refused, naming the file and line.</summary>
    Refuse,

    /// <summary>Cut to the context, keeping its start (TRL's <c>truncation_mode: keep_start</c>); the report counts them.</summary>
    Truncate,
}
