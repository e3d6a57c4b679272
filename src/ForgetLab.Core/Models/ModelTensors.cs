namespace ForgetLab.Core.Models;

/// <summary>
/// The tensors a config's architecture holds, by Hugging Face's names and with their shapes, in the
/// order the lab's model registers them: what a folder's weights must hold for the lab to load it
/// (GPT-2's Conv1D stores (in, out); Llama-family linears (out, in)). The lab's models are checked
/// against this list in their tests, so the server's upload check and the lab's loader agree.
/// </summary>
public static class ModelTensors
{
    /// <summary>Every tensor of the architecture, name → shape.</summary>
    public static IReadOnlyList<(string Name, long[] Shape)> Expected(IModelConfig config) => config switch
    {
        GptConfig gpt => Gpt2(gpt),
        LlamaConfig llama => Llama(llama),
        _ => throw new ArgumentException($"No tensor layout for a {config.GetType().Name}."),
    };

    /// <summary>The parameters of the architecture (a tied head counted once).</summary>
    public static long Parameters(IModelConfig config) =>
        Expected(config).Sum(t => t.Shape.Aggregate(1L, (n, d) => n * d));

    /// <summary>
    /// Tensors Hugging Face files may hold that the architecture keeps no weights for: GPT-2's attention-mask
    /// buffers, RoPE's <c>inv_freq</c>, and a tied head's <c>lm_head.weight</c>.
    /// </summary>
    public static bool Ignorable(string name, IModelConfig config) =>
        name.EndsWith(".attn.bias", StringComparison.Ordinal) || name.EndsWith(".attn.masked_bias", StringComparison.Ordinal)
        || name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal)
        || (name == "lm_head.weight" && config is GptConfig or LlamaConfig { TieWordEmbeddings: true });

    /// <summary>
    /// The name a file's tensor goes by in <see cref="Expected"/>: Hugging Face's base GPT2Model files omit the
    /// <c>transformer.</c> prefix that GPT2LMHeadModel's have.
    /// </summary>
    public static string Canonical(string name, IModelConfig config) =>
        config is GptConfig && !name.StartsWith("transformer.", StringComparison.Ordinal) && name != "lm_head.weight" ? "transformer." + name : name;

    private static List<(string, long[])> Gpt2(GptConfig c)
    {
        long e = c.NEmbd;
        var t = new List<(string, long[])> { ("transformer.wte.weight", [c.VocabSize, e]), ("transformer.wpe.weight", [c.NPositions, e]) };
        for (var i = 0; i < c.NLayer; i++)
        {
            var p = $"transformer.h.{i}.";
            t.AddRange([
                (p + "ln_1.weight", [e]), (p + "ln_1.bias", [e]),
                (p + "attn.c_attn.weight", [e, 3 * e]), (p + "attn.c_attn.bias", [3 * e]),
                (p + "attn.c_proj.weight", [e, e]), (p + "attn.c_proj.bias", [e]),
                (p + "ln_2.weight", [e]), (p + "ln_2.bias", [e]),
                (p + "mlp.c_fc.weight", [e, 4 * e]), (p + "mlp.c_fc.bias", [4 * e]),
                (p + "mlp.c_proj.weight", [4 * e, e]), (p + "mlp.c_proj.bias", [e]),
            ]);
        }
        t.AddRange([("transformer.ln_f.weight", [e]), ("transformer.ln_f.bias", [e])]);
        return t;
    }

    private static List<(string, long[])> Llama(LlamaConfig c)
    {
        long h = c.HiddenSize, q = (long)c.NumAttentionHeads * c.HeadDim, kv = (long)c.NumKeyValueHeads * c.HeadDim, m = c.IntermediateSize;
        var t = new List<(string, long[])> { ("model.embed_tokens.weight", [c.VocabSize, h]) };
        void Linear(string name, long output, long input, bool bias)
        {
            t.Add((name + ".weight", [output, input]));
            if (bias) t.Add((name + ".bias", [output]));
        }
        for (var i = 0; i < c.NumHiddenLayers; i++)
        {
            var p = $"model.layers.{i}.";
            Linear(p + "self_attn.q_proj", q, h, c.QkvBias);
            Linear(p + "self_attn.k_proj", kv, h, c.QkvBias);
            Linear(p + "self_attn.v_proj", kv, h, c.QkvBias);
            Linear(p + "self_attn.o_proj", h, q, c.OutputBias);
            if (c.QkNorm) t.AddRange([(p + "self_attn.q_norm.weight", [c.HeadDim]), (p + "self_attn.k_norm.weight", [c.HeadDim])]);
            Linear(p + "mlp.gate_proj", m, h, c.MlpHasBias);
            Linear(p + "mlp.up_proj", m, h, c.MlpHasBias);
            Linear(p + "mlp.down_proj", h, m, c.MlpHasBias);
            t.AddRange([(p + "input_layernorm.weight", [h]), (p + "post_attention_layernorm.weight", [h])]);
        }
        t.Add(("model.norm.weight", [h]));
        if (!c.TieWordEmbeddings) t.Add(("lm_head.weight", [c.VocabSize, h]));
        return t;
    }
}
