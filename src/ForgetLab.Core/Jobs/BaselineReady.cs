using System.Text.Json.Serialization;
using ForgetLab.Core.Baselines;

namespace ForgetLab.Core.Jobs;

/// <summary>The base's result on one suite (<c>baseline_ready</c>) is in <paramref name="File"/>; <paramref name="Source"/> says whence.</summary>
public sealed record BaselineReady(
    [property: JsonPropertyName("model_hash")] string ModelHash,
    [property: JsonPropertyName("shared")] bool Shared,
    [property: JsonPropertyName("suite")] BaselineSuiteKey Suite,
    [property: JsonPropertyName("source")] BaselineSource Source,
    [property: JsonPropertyName("file")] string File) : JobEvent;
