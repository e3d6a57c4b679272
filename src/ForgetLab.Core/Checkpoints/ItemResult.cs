using System.Text.Json.Serialization;

namespace ForgetLab.Core.Checkpoints;

/// <summary>
/// One item's outcome as stored: suite, version, item id, value (1/0, nats/token or KL), the
/// model's answer and the item's prompt (so a report can say what was asked; absent in files
/// written before it was recorded, and for rolling-perplexity items, which have no prompt).
/// </summary>
public sealed record ItemResult(
    [property: JsonPropertyName("suite")] string Suite,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("response")] string? Response,
    [property: JsonPropertyName("prompt"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Prompt = null);
