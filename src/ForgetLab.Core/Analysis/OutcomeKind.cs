using System.Text.Json.Serialization;

namespace ForgetLab.Core.Analysis;

/// <summary>
/// How a suite scores one item: binary correctness (accuracy-type metrics, compared with exact
/// McNemar) or a real number (nats/token, KL; compared with a paired bootstrap).
/// </summary>
public enum OutcomeKind
{
    [JsonStringEnumMemberName("binary")] Binary,
    [JsonStringEnumMemberName("continuous")] Continuous,
}
