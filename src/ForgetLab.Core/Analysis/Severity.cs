using System.Text.Json.Serialization;

namespace ForgetLab.Core.Analysis;

/// <summary>
/// Severity label, ordered from best to worst. A suite gets none … severe or <see cref="AtChance"/>;
/// a run gets none … severe or <see cref="Catastrophic"/> (the bands describe a model, so only a
/// run can be catastrophic). The rules live in <see cref="SeverityBands"/> and docs/science.md.
/// </summary>
public enum Severity
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("mild")] Mild,
    [JsonStringEnumMemberName("moderate")] Moderate,
    [JsonStringEnumMemberName("severe")] Severe,

    /// <summary>Suite label: the drop left the suite at chance (nothing above chance kept); the suite is lost.</summary>
    [JsonStringEnumMemberName("at_chance")] AtChance,

    /// <summary>Run label: knowledge broadly gone, i.e. most of the run's gated knowledge and skill suites at chance.</summary>
    [JsonStringEnumMemberName("catastrophic")] Catastrophic,
}
