using System.Text.Json.Serialization;
using ForgetLab.Core.Baselines;

namespace ForgetLab.Core.Jobs;

/// <summary>
/// Before scoring the base (<c>baseline_lookup</c>): the base's model hash, whether every tenant shares it
/// (a base of the built-in world), its folder and the suites. The job then reads one line on stdin: a folder
/// holding the platform's recorded baseline files, or an empty line.
/// </summary>
public sealed record BaselineLookup(
    [property: JsonPropertyName("model_hash")] string ModelHash,
    [property: JsonPropertyName("shared")] bool Shared,
    [property: JsonPropertyName("folder")] string Folder,
    [property: JsonPropertyName("baseline_suites")] IReadOnlyList<BaselineSuiteKey> Suites) : JobEvent;
