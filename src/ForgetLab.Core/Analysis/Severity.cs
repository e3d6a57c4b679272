using System.Text.Json.Serialization;

namespace ForgetLab.Core.Analysis;

/// <summary>
/// Severity band of a drop on an accuracy-type retention suite; ordered so that the worst of a
/// run is the maximum. The rules live in <see cref="SeverityBands"/> and docs/science.md.
/// </summary>
public enum Severity
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("mild")] Mild,
    [JsonStringEnumMemberName("moderate")] Moderate,
    [JsonStringEnumMemberName("severe")] Severe,
    [JsonStringEnumMemberName("catastrophic")] Catastrophic,
}
