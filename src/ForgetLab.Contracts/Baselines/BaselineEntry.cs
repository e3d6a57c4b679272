namespace ForgetLab.Contracts.Baselines;

/// <summary>
/// The base model's result on one suite definition: its score (percent for binary suites, the
/// metric's own unit otherwise) and where its per-item outcomes lie in Blob storage, for paired
/// tests. <see cref="Definition"/> is a hash of the suite's items and the build of the scoring code
/// (<c>{items}.{scoring}</c>), so two suites with the same name and version but other items, or a
/// baseline scored by another build, are never taken for each other.
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.BaselineEntry")]
public sealed record BaselineEntry(
    [property: Id(0)] string Suite,
    [property: Id(1)] string Version,
    [property: Id(2)] string Definition,
    [property: Id(3)] string Category,
    [property: Id(4)] string Metric,
    [property: Id(5)] double Score,
    [property: Id(6)] int Items,
    [property: Id(7)] string BlobLocation,
    [property: Id(8)] DateTimeOffset RecordedAt);
