namespace ForgetLab.Contracts.Datasets;

/// <summary>
/// One JSONL file of a registered data set: its size and SHA-256 (checked by the worker after download), its shape
/// (<c>prompt_completion</c>, <c>messages</c> or <c>text</c>) and its examples.
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.DatasetFile")]
public sealed record DatasetFile(
    [property: Id(0)] string Name,
    [property: Id(1)] long Bytes,
    [property: Id(2)] string Sha256,
    [property: Id(3)] string Shape,
    [property: Id(4)] int Examples);
