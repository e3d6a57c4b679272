namespace ForgetLab.Contracts.Models;

/// <summary>
/// What a registered model's config.json says, in GPT-2's names for every architecture
/// (<see cref="NPositions"/>: the longest sequence, <see cref="NEmbd"/>: the hidden size,
/// <see cref="NLayer"/>: decoder layers, <see cref="NHead"/>: query heads), its parameter count, the
/// dtype its weights have on disk (several joined by '+'), their bytes, and its tokenizer; and the rest of
/// the shape the memory estimate needs (the MLP's width, the head size, a tied head, the Llama family's bias
/// flags). Models registered before the dtype and tokenizer were recorded have them null, and those registered
/// before the shape was, an <see cref="IntermediateSize"/> of 0 (no estimate: such a run is placed by its
/// declared <c>resources.memory_gb</c>, or anywhere).
/// </summary>
[GenerateSerializer, Immutable, Alias("forgetlab.ModelArchitecture")]
public sealed record ModelArchitecture(
    [property: Id(0)] string ModelType,
    [property: Id(1)] int VocabSize,
    [property: Id(2)] int NPositions,
    [property: Id(3)] int NEmbd,
    [property: Id(4)] int NLayer,
    [property: Id(5)] int NHead,
    [property: Id(6)] long Parameters,
    [property: Id(7)] string? Dtype = null,
    [property: Id(8)] ModelTokenizerInfo? Tokenizer = null,
    [property: Id(9)] long WeightBytes = 0,
    [property: Id(10)] int KeyValueHeads = 0,
    [property: Id(11)] int IntermediateSize = 0,
    [property: Id(12)] int HeadDim = 0,
    [property: Id(13)] bool TiedHead = false,
    [property: Id(14)] bool AttentionBias = false,
    [property: Id(15)] bool MlpBias = false)
{
    /// <summary>
    /// The record of a checked folder's summary (Core's <c>ModelFolderCheck</c>): what the registry keeps of an upload and
    /// a worker notes of a base it prepared, built in this one place.
    /// </summary>
    public static ModelArchitecture Of(Core.Models.ModelSummary s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.ModelType, s.VocabSize, s.MaxPositions, s.HiddenSize, s.Layers, s.Heads, s.Parameters, s.Dtype,
            new ModelTokenizerInfo(s.Tokenizer.Kind, s.Tokenizer.File, s.Tokenizer.VocabSize), s.WeightBytes, s.KeyValueHeads,
            s.Shape.IntermediateSize, s.Shape.HeadDim, s.Shape.TiedHead, s.Shape.AttentionBias, s.Shape.MlpBias);
    }

    /// <summary>The decoder's shape (Core's <c>ModelShape</c>) from what was recorded; null for a record from before the shape was kept.</summary>
    public Core.Models.ModelShape? Shape()
    {
        if (IntermediateSize <= 0 || HeadDim <= 0) return null;
        return ModelType == "gpt2"
            ? Core.Models.ModelShape.Gpt2(VocabSize, NPositions, NEmbd, NLayer, NHead, IntermediateSize)
            : Core.Models.ModelShape.Llama(ModelType, VocabSize, NEmbd, IntermediateSize, NLayer, NHead,
                KeyValueHeads > 0 ? KeyValueHeads : NHead, HeadDim, TiedHead, AttentionBias, MlpBias);
    }
}
