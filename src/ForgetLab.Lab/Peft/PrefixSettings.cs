using ForgetLab.Lab.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Peft;

/// <summary>
/// Gated prefixes of <see cref="NumVirtualTokens"/> tokens in every attention layer: every head also
/// attends to P trainable key/value vectors through its own softmax, added through a per-head gate
/// that starts at zero (LLaMA-Adapter's zero-init attention): y = attn(q, K, V) + g_h · softmax(q·P_Kᵀ/√hs)·P_V,
/// so at step 0 the output is exactly the base's. Keys and values are drawn from N(0, initializer_range)
/// (non-zero, so the gate gets a gradient at step 0).
/// </summary>
public sealed record PrefixSettings(int NumVirtualTokens) : PeftSettings
{
    public override string Method => "prefix";

    public override bool Owns(string key) => key.Contains(".prefix_", StringComparison.Ordinal);

    public override IReadOnlyList<Parameter> Apply(CausalLanguageModel model)
    {
        FreezeAll(model);
        return model.Layers()
            .SelectMany(b => Prefix.Attach(b.Attention, NumVirtualTokens, model.Config.InitializerRange))
            .ToList();
    }

    private sealed class Prefix(Parameter key, Parameter value, Parameter gate) : IAttentionHook
    {
        public static IEnumerable<Parameter> Attach(AttentionModule attention, int virtualTokens, double std)
        {
            if (attention.Hooks.OfType<Prefix>().Any()) throw new InvalidOperationException("This attention already has a prefix.");
            var (heads, headSize) = (attention.HeadCount, attention.HeadSize);
            var key = nn.Parameter(randn(heads, virtualTokens, headSize).mul_(std));    // (nh, P, hs)
            var value = nn.Parameter(randn(heads, virtualTokens, headSize).mul_(std));  // (nh, P, hs)
            var gate = nn.Parameter(zeros(heads));                                      // (nh)
            attention.register_parameter("prefix_key", key);
            attention.register_parameter("prefix_value", value);
            attention.register_parameter("prefix_gate", gate);
            attention.Attach(new Prefix(key, value, gate));
            return [key, value, gate];
        }

        public Tensor Attend(Tensor q, Tensor y)
        {
            // Matrix products through Autocast: under it, q is the projection's bfloat16 output and the prefix is float32.
            var scores = Autocast.MatMul(q, key.transpose(-2, -1)).div(Math.Sqrt(q.shape[^1]));  // (B, nh, T, P)
            var fromPrefix = Autocast.MatMul(scores.softmax(-1), value);                           // (B, nh, T, hs)
            return y + gate.view(1, gate.shape[0], 1, 1) * fromPrefix;
        }
    }
}
