using System.Text.Json.Serialization;

namespace ForgetLab.Core.Baselines;

/// <summary>Where a baseline came from: the platform (recorded by an earlier run), this machine's model cache, or evaluated now.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BaselineSource>))]
public enum BaselineSource
{
    [JsonStringEnumMemberName("platform")] Platform,
    [JsonStringEnumMemberName("cache")] Cache,
    [JsonStringEnumMemberName("evaluated")] Evaluated,
}
