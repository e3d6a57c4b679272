using System.Text.Json.Serialization;

namespace ForgetLab.Core.Reports;

/// <summary>How a fine-tuning run ended; a diverged run is reported, not silently dropped.</summary>
public enum RunStatus
{
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("diverged")] Diverged,
    [JsonStringEnumMemberName("stopped_early")] StoppedEarly,

    /// <summary>The run threw (e.g. out of memory); its reason is kept and the other runs go on.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
}
