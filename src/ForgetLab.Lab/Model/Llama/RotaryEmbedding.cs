using static TorchSharp.torch;

namespace ForgetLab.Lab.Model.Llama;

/// <summary>
/// Rotary position embedding as Hugging Face computes it (<c>modeling_rope_utils</c>): inverse
/// frequencies 1/θ^(2i/d) in float32, rescaled by <c>rope_scaling</c> (<c>linear</c>: ÷ factor;
/// <c>llama3</c>: long wavelengths ÷ factor, short kept, the band between smoothly interpolated),
/// then cos/sin of position · frequency laid out twice (<c>rotate_half</c>'s layout). It is a plain
/// object, not a module: it holds no state-dict entry, as Hugging Face's buffer is non-persistent.
/// </summary>
public sealed class RotaryEmbedding
{
    private readonly Tensor invFreq; // (d/2), float32

    public RotaryEmbedding(LlamaConfig config)
    {
        var dim = config.HeadDim;
        var exponents = arange(0, dim, 2, dtype: ScalarType.Int64).to(ScalarType.Float32) / dim;   // (d/2)
        var inv = 1.0 / pow(config.RopeTheta, exponents);                                          // (d/2)
        var scaling = config.RopeScaling;
        switch (scaling?.RopeType ?? "default")
        {
            case "default":
                break;
            case "linear":
                inv = inv / scaling!.Factor!.Value;
                break;
            case "llama3":
            {
                var factor = scaling!.Factor!.Value;
                var low = scaling.LowFreqFactor!.Value;
                var high = scaling.HighFreqFactor!.Value;
                double oldContext = scaling.OriginalMaxPositionEmbeddings!.Value;
                var lowFreqWavelen = oldContext / low;
                var highFreqWavelen = oldContext / high;
                var wavelen = 2 * Math.PI / inv;                                                     // (d/2)
                var llama = where(wavelen > lowFreqWavelen, inv / factor, inv);
                var smooth = (oldContext / wavelen - low) / (high - low);
                var smoothed = (1 - smooth) * llama / factor + smooth * llama;
                var medium = wavelen.ge(highFreqWavelen).logical_and(wavelen.le(lowFreqWavelen));
                inv = where(medium, smoothed, llama);
                break;
            }
            default:
                throw new ArgumentException($"rope_scaling.rope_type '{scaling!.RopeType}' is not supported (default, linear, llama3).");
        }
        invFreq = inv.to(ScalarType.Float32).DetachFromDisposeScope();
    }

    /// <summary>cos and sin for positions start..start+T−1, each (T, d), in <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public (Tensor Cos, Tensor Sin) For(long start, long length, ScalarType dtype, Device device)
    {
        var positions = arange(start, start + length, dtype: ScalarType.Int64, device: device).to(ScalarType.Float32);  // (T)
        var freqs = positions.unsqueeze(1).matmul(invFreq.to(device).unsqueeze(0));                     // (T, d/2)
        var emb = cat([freqs, freqs], dim: -1);                                                          // (T, d)
        return (emb.cos().to(dtype), emb.sin().to(dtype));
    }

    /// <summary>Hugging Face's <c>apply_rotary_pos_emb</c> on (B, nh, T, d): x·cos + rotate_half(x)·sin.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        var half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);                                                                  // (B, nh, T, d/2)
        var x2 = x.narrow(-1, half, half);                                                               // (B, nh, T, d/2)
        var rotated = cat([-x2, x1], dim: -1);                                                           // (B, nh, T, d)
        return x * cos + rotated * sin;
    }
}
