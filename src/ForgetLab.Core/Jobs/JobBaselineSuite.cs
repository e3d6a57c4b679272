using System.Text.Json.Serialization;

namespace ForgetLab.Core.Jobs;

/// <summary>A suite definition a baseline event names: name, version and a hash of its items.</summary>
public sealed record JobBaselineSuite(
    [property: JsonPropertyName("suite")] string Suite,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("definition")] string Definition);
