namespace ForgetLab.Core.Specs;

/// <summary>Architecture a built-in world's base is pre-trained in (YAML: gpt2 | llama).</summary>
public enum BaseArchitecture
{
    /// <summary>GPT-2's layout (learned positions, LayerNorm, GELU MLP, tied head): the default.</summary>
    Gpt2,

    /// <summary>Llama's (RoPE, RMSNorm, SwiGLU MLP, grouped-query attention), sized from the same <see cref="ModelConfigSpec"/>.</summary>
    Llama,
}
