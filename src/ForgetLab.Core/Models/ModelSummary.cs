namespace ForgetLab.Core.Models;

/// <summary>
/// What a checked model folder is, as the registry records it, the API and dashboard show it and
/// <c>forgetlab model info</c> prints it: the architecture and its sizes, the parameters, the dtype its
/// weights have on disk (one dtype, or several joined by '+'), the bytes they take, the tokenizer, and the
/// shape the memory estimate works from.
/// </summary>
public sealed record ModelSummary(
    string ModelType,
    long Parameters,
    string Dtype,
    long WeightBytes,
    int VocabSize,
    int MaxPositions,
    int HiddenSize,
    int Layers,
    int Heads,
    int KeyValueHeads,
    ModelTokenizerSummary Tokenizer,
    ModelShape Shape);
