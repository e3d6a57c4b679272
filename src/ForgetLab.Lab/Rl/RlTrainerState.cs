using System.Text.Json;
using System.Text.Json.Serialization;

namespace ForgetLab.Lab.Rl;

/// <summary>
/// What a reward fine-tuning checkpoint holds beyond the supervised trainer's state (<c>rl_state.json</c>):
/// the sampling RNG, the pre-training mix's batch state, β (the adaptive controller moves it) and the step log.
/// A synced reference's weights go beside it in <c>reference.safetensors</c>.
/// </summary>
public sealed record RlTrainerState(
    [property: JsonPropertyName("sampling_rng")] ulong SamplingRng,
    [property: JsonPropertyName("ptx_sampler_state")] ulong PtxSamplerState,
    [property: JsonPropertyName("beta")] double Beta,
    [property: JsonPropertyName("log")] IReadOnlyList<RlStepLog> Log)
{
    public const string FileName = "rl_state.json";
    public const string ReferenceFile = "reference.safetensors";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public void Write(string directory) => File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json));

    public static RlTrainerState Read(string directory) =>
        JsonSerializer.Deserialize<RlTrainerState>(File.ReadAllText(Path.Combine(directory, FileName)), Json)
        ?? throw new InvalidDataException($"{directory}: empty {FileName}");
}
