namespace ForgetLab.Contracts.Models;

/// <summary>One file of a registered model folder, with its size and SHA-256 (checked by the worker after download).</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.ModelFile")]
public sealed record ModelFile(
    [property: Id(0)] string Name,
    [property: Id(1)] long Bytes,
    [property: Id(2)] string Sha256);
