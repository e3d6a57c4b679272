using System.Text.Json;
using System.Text.Json.Serialization;

namespace ForgetLab.Lab.Jobs;

/// <summary>A suite's score at a checkpoint, as a job event carries it (percent for binary suites).</summary>
public sealed record JobSuiteScore(
    [property: JsonPropertyName("suite")] string Suite,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("delta_points")] double DeltaPoints);

/// <summary>A suite definition a baseline event names.</summary>
public sealed record JobBaselineSuite(
    [property: JsonPropertyName("suite")] string Suite,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("definition")] string Definition);

/// <summary>
/// What a <see cref="RecipeJob"/> tells its host as it goes: the child-process protocol of the worker,
/// one JSON object per line on stdout (<see cref="ToJsonLine"/>). <see cref="Event"/> is one of
/// the <c>Kinds</c>; the other fields are set as the kind needs them.
/// </summary>
public sealed record JobEvent
{
    public static class Kinds
    {
        /// <summary>Preparation (pre-training, baseline): <see cref="Phase"/>, <see cref="Step"/> of <see cref="TotalSteps"/>.</summary>
        public const string Phase = "phase";

        /// <summary>Training begins at <see cref="Step"/> (0, or the step resumed from).</summary>
        public const string Started = "started";

        public const string Progress = "progress";

        /// <summary>A checkpoint folder is complete (manifest written): <see cref="Folder"/>, <see cref="Step"/>, <see cref="Sha256"/> of its manifest.</summary>
        public const string CheckpointSaved = "checkpoint_saved";

        public const string EvaluationStarted = "evaluation_started";

        /// <summary>The checkpoint was scored: <see cref="Scores"/>, and its <c>items.jsonl</c> is in <see cref="Folder"/>.</summary>
        public const string CheckpointEvaluated = "checkpoint_evaluated";

        /// <summary>
        /// Before evaluating the base: <see cref="ModelHash"/>, <see cref="Shared"/>, the base's <see cref="Folder"/> and the suites
        /// (<see cref="BaselineSuites"/>). The job then reads one line on stdin: a folder holding the
        /// platform's recorded baseline files, or an empty line.
        /// </summary>
        public const string BaselineLookup = "baseline_lookup";

        /// <summary>The base's result on one suite is in the file <see cref="Folder"/>; <see cref="Source"/> says whence (platform, cache, evaluated).</summary>
        public const string BaselineReady = "baseline_ready";

        /// <summary>The run ended: <see cref="Status"/> is completed, stopped_early, diverged or failed; <see cref="Folder"/> holds run-report.json.</summary>
        public const string Finished = "finished";
    }

    [JsonPropertyName("event")] public required string Event { get; init; }
    [JsonPropertyName("run")] public string? Run { get; init; }
    [JsonPropertyName("phase")] public string? Phase { get; init; }
    [JsonPropertyName("step")] public long? Step { get; init; }
    [JsonPropertyName("total_steps")] public long? TotalSteps { get; init; }
    [JsonPropertyName("loss")] public double? Loss { get; init; }
    [JsonPropertyName("folder")] public string? Folder { get; init; }
    [JsonPropertyName("sha256")] public string? Sha256 { get; init; }
    [JsonPropertyName("scores")] public IReadOnlyList<JobSuiteScore>? Scores { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    [JsonPropertyName("detail")] public string? Detail { get; init; }
    [JsonPropertyName("model_hash")] public string? ModelHash { get; init; }
    [JsonPropertyName("shared")] public bool? Shared { get; init; }
    [JsonPropertyName("baseline_suites")] public IReadOnlyList<JobBaselineSuite>? BaselineSuites { get; init; }
    [JsonPropertyName("source")] public string? Source { get; init; }

    /// <summary>Progress: tokens the step trained on, and its wall time (for the worker's throughput metrics).</summary>
    [JsonPropertyName("step_tokens")] public long? StepTokens { get; init; }
    [JsonPropertyName("step_seconds")] public double? StepSeconds { get; init; }

    /// <summary>Checkpoint evaluated: items scored over all suites, and the wall time it took.</summary>
    [JsonPropertyName("eval_items")] public long? EvalItems { get; init; }
    [JsonPropertyName("eval_seconds")] public double? EvalSeconds { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJsonLine() => JsonSerializer.Serialize(this, Json);

    /// <summary>The event on a line of the child's stdout, or null for a line that is not one (library noise).</summary>
    public static JobEvent? TryParse(string? line)
    {
        if (string.IsNullOrWhiteSpace(line) || !line.TrimStart().StartsWith('{')) return null;
        try
        {
            return JsonSerializer.Deserialize<JobEvent>(line, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
