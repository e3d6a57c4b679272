using System.Collections.Immutable;

namespace ForgetLab.Contracts.Models;

/// <summary>
/// A base model in a tenant's registry: a Hugging Face-layout folder (config.json, the weights
/// (model.safetensors or sharded), the tokenizer files) kept in Blob storage under <see cref="BlobPrefix"/>
/// (<c>checkpoints/{tenant}/models/{name}/{files hash}/</c>). <see cref="Source"/> is "upload", or
/// "experiment:{id}" for the base of one of the tenant's experiments.
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.ModelRecord")]
public sealed record ModelRecord(
    [property: Id(0)] string Name,
    [property: Id(1)] ModelArchitecture Architecture,
    [property: Id(2)] ImmutableArray<ModelFile> Files,
    [property: Id(3)] string BlobPrefix,
    [property: Id(4)] string Source,
    [property: Id(5)] DateTimeOffset RegisteredAt);
