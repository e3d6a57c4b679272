using System.Text.Json.Serialization;

namespace ForgetLab.Core.Analysis;

/// <summary>
/// What a suite measures. The category decides how a change is read: a drop on
/// <see cref="Knowledge"/> or <see cref="Skill"/> is collateral forgetting, a change on
/// <see cref="Overwritten"/> items is the intended edit and is never counted as forgetting.
/// </summary>
public enum SuiteCategory
{
    [JsonStringEnumMemberName("target")] Target,
    [JsonStringEnumMemberName("knowledge")] Knowledge,
    [JsonStringEnumMemberName("skill")] Skill,
    [JsonStringEnumMemberName("language")] Language,
    [JsonStringEnumMemberName("unrelated")] Unrelated,
    [JsonStringEnumMemberName("overwritten")] Overwritten,
}
