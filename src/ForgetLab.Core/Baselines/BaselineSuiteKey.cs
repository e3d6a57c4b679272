using System.Text.Json.Serialization;

namespace ForgetLab.Core.Baselines;

/// <summary>
/// One suite definition a baseline is kept for: name, version and <c>Definition</c>, a hash of its items and
/// the build of the scoring code that scored it (<c>{items}.{scoring}</c>), as the job's baseline events carry it. Equal
/// keys are required for reuse, so a baseline another scoring build recorded is scored again.
/// </summary>
public sealed record BaselineSuiteKey(
    [property: JsonPropertyName("suite")] string Suite,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("definition")] string Definition)
{
    /// <summary>The file a baseline of this suite is kept in: the <see cref="Analysis.SuiteEvaluation"/> as JSON.</summary>
    [JsonIgnore]
    public string FileName => $"{Suite}@{Version}-{Definition}.json";
}
