using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Models;

/// <summary>
/// What a run needs in memory, in bytes, from the architecture's numbers alone (no engine loaded): the
/// server places runs with it and <c>forgetlab model info</c> prints it. Training holds float32 master
/// weights, float32 gradients and AdamW's two float32 moments for the trainable parameters, the
/// activations autograd saves for backward at the run's batch and sequence length, and under bfloat16 a
/// bfloat16 copy of every matrix-product weight. docs/benchmarks.md ("Memory") sets it against
/// measured peak RSS and says where each term comes from.
/// </summary>
/// <param name="RuntimeBytes">The process itself before any model (runtime and libtorch), <see cref="CpuRuntimeBytes"/> on CPU.</param>
public sealed record MemoryEstimate(
    long WeightBytes, long ComputeCopyBytes, long GradientBytes, long OptimizerBytes, long ActivationBytes, long RuntimeBytes)
{
    /// <summary>
    /// Resident memory of a TorchSharp job process on CPU before it builds a model (.NET runtime, libtorch,
    /// the lab's own code), measured on the reference machine (docs/benchmarks.md, "Memory").
    /// </summary>
    public const long CpuRuntimeBytes = 320L << 20;

    private const int Float32 = 4;

    public long TotalBytes => WeightBytes + ComputeCopyBytes + GradientBytes + OptimizerBytes + ActivationBytes + RuntimeBytes;

    /// <summary>Fine-tuning (or pre-training, with <see cref="MethodSpec.Full"/>) with AdamW.</summary>
    /// <param name="trainableParameters">The method's trainable count where <see cref="MethodParameters.Trainable"/> cannot tell it from the shape.</param>
    public static MemoryEstimate ForTraining(
        ModelShape shape, MethodSpec method, int batchSize, int sequenceLength, ComputeDtype dtype,
        bool gradientCheckpointing = false, long? trainableParameters = null, long runtimeBytes = CpuRuntimeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        var trainable = trainableParameters ?? MethodParameters.Trainable(shape, method)
            ?? throw new ArgumentException($"the trainable parameters of method '{method.Type}' depend on more than the model's shape: pass trainableParameters", nameof(trainableParameters));
        var tokens = (long)batchSize * sequenceLength;
        var perToken = ActivationsPerToken(shape, dtype, gradientCheckpointing) + LoraActivationsPerToken(shape, method);
        return new MemoryEstimate(
            WeightBytes: shape.Parameters * Float32,
            ComputeCopyBytes: dtype == ComputeDtype.BFloat16 ? shape.MatmulParameters * 2 : 0,
            GradientBytes: trainable * Float32,
            OptimizerBytes: 2 * trainable * Float32,
            ActivationBytes: tokens * perToken,
            RuntimeBytes: runtimeBytes);
    }

    /// <summary>
    /// Scoring under <c>no_grad</c>: the weights and one forward's working set, which autograd does not keep:
    /// the widest layer's live tensors plus the logits and their log-softmax.
    /// </summary>
    public static MemoryEstimate ForEvaluation(ModelShape shape, int batchSize, int sequenceLength, ComputeDtype dtype = ComputeDtype.Float32, long runtimeBytes = CpuRuntimeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        var (c, i) = ((long)shape.HiddenSize, (long)shape.IntermediateSize);
        var layer = shape.IsGpt2 ? 2 * c + 2 * i : 2 * c + 4 * i;   // residual, norm output, the MLP's inner tensors
        var perToken = (layer + 2L * shape.VocabSize) * Float32;
        return new MemoryEstimate(shape.Parameters * Float32, dtype == ComputeDtype.BFloat16 ? shape.MatmulParameters * 2 : 0,
            0, 0, (long)batchSize * sequenceLength * perToken, runtimeBytes);
    }

    /// <summary>
    /// Bytes autograd keeps per token until backward: per layer the tensors each operation saves (listed
    /// below for each architecture), float32 where autocast keeps float32 (the residual stream, norm and
    /// activation-function inputs) and in the compute dtype where a matrix product or attention takes them;
    /// then the head: final norm, the float32 logits and log-softmax, and at the start of backward their two
    /// gradients. With checkpointing only each layer's input is kept, and one layer is recomputed at a time.
    /// </summary>
    internal static long ActivationsPerToken(ModelShape shape, ComputeDtype dtype, bool gradientCheckpointing)
    {
        var e = dtype == ComputeDtype.BFloat16 ? 2 : Float32;
        var bf16 = dtype == ComputeDtype.BFloat16;
        long c = shape.HiddenSize, i = shape.IntermediateSize, q = (long)shape.HeadCount * shape.HeadDim, v = shape.VocabSize;
        long fp32Elements, computeElements;
        if (shape.IsGpt2)
        {
            // float32: block input, residual after attention, GELU input (c_fc's output).
            fp32Elements = 2 * c + i;
            // compute dtype: ln_1 out (c_attn's input), q/k/v (SDPA), SDPA out, its contiguous copy (c_proj's input), ln_2 out, GELU out.
            computeElements = c + 3 * c + c + c + c + i;
        }
        else
        {
            // float32: layer input, both RMSNorms' normalised x, residual after attention, SiLU in, SiLU out, up_proj out.
            fp32Elements = 4 * c + 3 * i;
            // compute dtype: the norm outputs (under autocast q/k/v and gate/up each cast their own copy), q/k/v as SDPA
            // takes them (k/v repeated to every query head), SDPA out, o_proj's input, down_proj's input.
            computeElements = (bf16 ? 5 * c : 2 * c) + 3 * q + q + q + i;
            if (shape.ModelType == "qwen3") fp32Elements += 2 * q + 2L * shape.KeyValueHeadCount * shape.HeadDim; // q_norm / k_norm in and out
        }
        var attentionStats = (long)shape.HeadCount * Float32;   // SDPA's log-sum-exp per head
        var layer = fp32Elements * Float32 + computeElements * e + attentionStats;
        var layers = gradientCheckpointing ? shape.LayerCount * c * Float32 + layer : shape.LayerCount * layer;
        // Head: final norm's input (and RMSNorm's normalised x), the head's input, logits and log-softmax, their gradients.
        var head = (shape.IsGpt2 ? c : 2 * c) * Float32 + c * e + 4 * v * Float32;
        return layers + head;
    }

    /// <summary>LoRA keeps A·x (rank values, float32) per adapted projection per token, and the dropped-out input when dropout is on.</summary>
    private static long LoraActivationsPerToken(ModelShape shape, MethodSpec method)
    {
        if (method is not LoraSpec lora) return 0;
        var adapted = MethodParameters.AdaptedProjections(shape, lora.TargetModules);
        return adapted.Sum(p => (lora.Rank + (lora.Dropout > 0 ? p.InFeatures : 0)) * (long)Float32);
    }
}
