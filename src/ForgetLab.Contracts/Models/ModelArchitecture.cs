namespace ForgetLab.Contracts.Models;

/// <summary>What a registered model's config.json says (GPT-2 layout), and its parameter count from the weights' header.</summary>
[GenerateSerializer, Immutable, Alias("forgetlab.ModelArchitecture")]
public sealed record ModelArchitecture(
    [property: Id(0)] string ModelType,
    [property: Id(1)] int VocabSize,
    [property: Id(2)] int NPositions,
    [property: Id(3)] int NEmbd,
    [property: Id(4)] int NLayer,
    [property: Id(5)] int NHead,
    [property: Id(6)] long Parameters);
