using System.Text.Json.Serialization;

namespace ForgetLab.Core.Jobs;

/// <summary>The job could not run at all (<c>failed</c>): the spec, the base or the run named was unusable; <paramref name="Reason"/> says which.</summary>
public sealed record JobFailed(
    [property: JsonPropertyName("run")] string? Run,
    [property: JsonPropertyName("reason")] string Reason) : JobEvent;
