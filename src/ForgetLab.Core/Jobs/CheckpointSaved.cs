using System.Text.Json.Serialization;

namespace ForgetLab.Core.Jobs;

/// <summary>A checkpoint folder is complete, its manifest written (<c>checkpoint_saved</c>): the SHA-256 of the manifest, and the training loss at its step.</summary>
public sealed record CheckpointSaved(
    [property: JsonPropertyName("run")] string Run,
    [property: JsonPropertyName("step")] long Step,
    [property: JsonPropertyName("folder")] string Folder,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("loss")] double? Loss) : JobEvent;
