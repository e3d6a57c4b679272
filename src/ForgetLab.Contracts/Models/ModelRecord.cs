using System.Collections.Immutable;
using ForgetLab.Contracts.Registry;

namespace ForgetLab.Contracts.Models;

/// <summary>
/// A base model in a tenant's registry: a Hugging Face-layout folder (config.json, the weights
/// (model.safetensors or sharded), the tokenizer files) kept in Blob storage under <see cref="BlobPrefix"/>
/// (<c>checkpoints/{tenant}/models/{name}/{files hash}/</c>). <see cref="Source"/> is "upload", or
/// "experiment:{id}" for the base of one of the tenant's experiments. A PEFT adapter's record has <see cref="Adapter"/>: its files
/// are <c>adapter_config.json</c> and <c>adapter_model.safetensors</c>, its <see cref="Architecture"/> is its base's, and only an
/// evaluation-only spec on that base may name it (<c>evaluate: [{ model_ref: NAME }]</c>), never as a base.
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.ModelRecord")]
public sealed record ModelRecord(
    [property: Id(0)] string Name,
    [property: Id(1)] ModelArchitecture Architecture,
    [property: Id(2)] ImmutableArray<ModelFile> Files,
    [property: Id(3)] string BlobPrefix,
    [property: Id(4)] string Source,
    [property: Id(5)] DateTimeOffset RegisteredAt,
    [property: Id(6)] AdapterInfo? Adapter = null) : IRegistryEntry<ModelFile>
{
    public bool IsAdapter => Adapter is not null;
}
