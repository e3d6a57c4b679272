using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Models;

/// <summary>
/// The shape and context length of a run's base, as far as they can be known at submission without loading a model:
/// a built-in world's base from its spec (<see cref="WorldBaseConfig"/>, the config the lab pre-trains), a model folder's
/// or a registered model's from its <c>config.json</c>. What <see cref="RunMemoryEstimate"/> works from.
/// </summary>
public sealed record BaseModelShape(ModelShape Shape, int ContextLength)
{
    /// <summary>
    /// The vocabulary a world base with the world's word tokenizer is sized with. The words depend on the world's data,
    /// which only the lab reads; the built-in world has 1,336 (a lab test keeps them under this bound), and the
    /// embedding and logits of 700 more rows change a small base's estimate by well under a percent.
    /// </summary>
    public const int WorldWordVocabularyBound = 2048;

    public static BaseModelShape OfWorld(BaseModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var vocab = spec.Tokenizer.IsWord ? WorldWordVocabularyBound : spec.Tokenizer.VocabSize;
        return OfConfig(WorldBaseConfig.For(spec, vocab));
    }

    public static BaseModelShape OfConfig(IModelConfig config) => new(ModelShape.Of(config), config.MaxPositions);
}
