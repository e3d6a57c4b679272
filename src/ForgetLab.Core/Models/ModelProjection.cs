namespace ForgetLab.Core.Models;

/// <summary>
/// One linear layer of a decoder layer, by its Hugging Face path inside the layer (<c>attn.c_attn</c>,
/// <c>self_attn.q_proj</c>, <c>mlp.down_proj</c>), so PEFT's <c>target_modules</c> can be matched on it.
/// </summary>
public sealed record ModelProjection(string Path, long InFeatures, long OutFeatures, bool HasBias)
{
    public long Parameters => InFeatures * OutFeatures + (HasBias ? OutFeatures : 0);
}
