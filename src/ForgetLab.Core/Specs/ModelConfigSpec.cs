namespace ForgetLab.Core.Specs;

/// <summary>
/// Shape of the small decoder-only transformer pre-trained on a built-in world (GPT-2 names).
/// The vocabulary comes from the world's tokenizer, so it is not part of the spec.
/// </summary>
public sealed record ModelConfigSpec
{
    /// <summary>Transformer blocks. Default 4; 1..64.</summary>
    public int NLayer { get; init; } = 4;

    /// <summary>Attention heads per block. Default 4; 1..64; must divide <see cref="NEmbd"/>.</summary>
    public int NHead { get; init; } = 4;

    /// <summary>
    /// Key/value heads (grouped-query attention) of a Llama base; null means <see cref="NHead"/> (multi-head
    /// attention). Must divide <see cref="NHead"/>; refused for a GPT-2 base, which has no such setting.
    /// </summary>
    public int? NKvHead { get; init; }

    /// <summary>Embedding width. Default 256; 8..8192.</summary>
    public int NEmbd { get; init; } = 256;

    /// <summary>Context length in tokens. Default 128; 8..4096.</summary>
    public int NCtx { get; init; } = 128;

    /// <summary>Dropout during pre-training. Default 0; in [0, 1).</summary>
    public double Dropout { get; init; }
}
