using ForgetLab.Core.Models;
using ForgetLab.Core.Specs;

namespace ForgetLab.Core.Tests.Models;

/// <summary>The memory estimate's parts: parameter counts against published models, and how method, dtype, batch and checkpointing move it.</summary>
public class MemoryEstimateTests
{
    private static readonly ModelShape Reference = ModelShape.Gpt2(vocabSize: 512, nPositions: 128, nEmbd: 256, nLayer: 4, nHead: 4);

    private static readonly ModelShape TinyLlama = ModelShape.Llama("llama", vocabSize: 32000, hiddenSize: 2048, intermediateSize: 5632,
        layers: 22, heads: 32, keyValueHeads: 4, headDim: 64, tieWordEmbeddings: false);

    [Fact]
    public void ParameterCountsEqualThoseOfPublishedCheckpoints()
    {
        // Hugging Face's num_parameters() of gpt2, Llama-2-7b, TinyLlama-1.1B and Qwen2.5-0.5B.
        Assert.Equal(124_439_808, ModelShape.Gpt2(50257, 1024, 768, 12, 12).Parameters);
        Assert.Equal(6_738_415_616, ModelShape.Llama("llama", 32000, 4096, 11008, 32, 32, 32, 128, tieWordEmbeddings: false).Parameters);
        Assert.Equal(1_100_048_384, TinyLlama.Parameters);
        Assert.Equal(494_032_768, ModelShape.Llama("qwen2", 151936, 896, 4864, 24, 14, 2, 64, tieWordEmbeddings: true).Parameters);
    }

    [Fact]
    public void LoraTrainsRankTimesInPlusOutOnEveryMatchingProjection()
    {
        // The reference benchmark's counts (docs/benchmarks.md): 3,323,392 parameters, 3,454,464 with LoRA r=8 on c_attn/c_proj/c_fc.
        Assert.Equal(3_323_392, Reference.Parameters);
        Assert.Equal(131_072, MethodParameters.Trainable(Reference, new LoraSpec()));
        Assert.Equal(4 * 8L * (256 + 768), MethodParameters.Trainable(Reference, new LoraSpec { TargetModules = ["c_attn"] }));
        Assert.Equal(4 * 8L * (256 + 256), MethodParameters.Trainable(Reference, new LoraSpec { TargetModules = ["attn.c_proj"] }));
        Assert.Equal(8L * (256 + 768), MethodParameters.Trainable(Reference, new LoraSpec { TargetModules = ["h.2.attn.c_attn"] }));
        // PEFT's usual Llama recipe: q_proj and v_proj (GQA: v_proj is 2048 → 256).
        Assert.Equal(22 * 8L * ((2048 + 2048) + (2048 + 256)), MethodParameters.Trainable(TinyLlama, new LoraSpec { TargetModules = ["q_proj", "v_proj"] }));
    }

    [Fact]
    public void OptimizerAndGradientsFollowTheTrainableSubsetWhileWeightsStayWhole()
    {
        var full = MemoryEstimate.ForTraining(Reference, MethodSpec.Full, 16, 128, ComputeDtype.Float32);
        var lora = MemoryEstimate.ForTraining(Reference, new LoraSpec(), 16, 128, ComputeDtype.Float32);
        Assert.Equal(full.WeightBytes, lora.WeightBytes);
        Assert.Equal(3_323_392L * 4, full.GradientBytes);
        Assert.Equal(3_323_392L * 8, full.OptimizerBytes);
        Assert.Equal(131_072L * 4, lora.GradientBytes);
        Assert.Equal(131_072L * 8, lora.OptimizerBytes);
        Assert.True(lora.ActivationBytes > full.ActivationBytes, "LoRA keeps A·x of every adapted projection on top of the base's activations");
    }

    [Fact]
    public void ActivationsGrowWithBatchTimesSequenceAndShrinkUnderCheckpointingAndBfloat16()
    {
        var one = MemoryEstimate.ForTraining(TinyLlama, MethodSpec.Full, 1, 512, ComputeDtype.Float32).ActivationBytes;
        Assert.Equal(4 * one, MemoryEstimate.ForTraining(TinyLlama, MethodSpec.Full, 2, 1024, ComputeDtype.Float32).ActivationBytes);
        var checkpointed = MemoryEstimate.ForTraining(TinyLlama, MethodSpec.Full, 1, 512, ComputeDtype.Float32, gradientCheckpointing: true);
        Assert.True(checkpointed.ActivationBytes * 5 < one, $"checkpointing 22 layers keeps {checkpointed.ActivationBytes} of {one} bytes");
        var bf16 = MemoryEstimate.ForTraining(TinyLlama, MethodSpec.Full, 1, 512, ComputeDtype.BFloat16);
        Assert.True(bf16.ActivationBytes < one);
        Assert.Equal(TinyLlama.MatmulParameters * 2, bf16.ComputeCopyBytes);
        Assert.Equal(0, MemoryEstimate.ForTraining(TinyLlama, MethodSpec.Full, 1, 512, ComputeDtype.Float32).ComputeCopyBytes);
    }

    [Fact]
    public void EvaluationHoldsNoGradientsNorOptimizerState()
    {
        var eval = MemoryEstimate.ForEvaluation(Reference, 64, 128);
        Assert.Equal((0L, 0L), (eval.GradientBytes, eval.OptimizerBytes));
        Assert.True(eval.TotalBytes < MemoryEstimate.ForTraining(Reference, MethodSpec.Full, 64, 128, ComputeDtype.Float32).TotalBytes);
    }

    [Fact]
    public void AMethodCountedOnlyByTheEngineNeedsItsCountGiven()
    {
        var error = Assert.Throws<ArgumentException>(() => MemoryEstimate.ForTraining(Reference, new PrefixSpec(), 16, 128, ComputeDtype.Float32));
        Assert.Contains("'prefix'", error.Message, StringComparison.Ordinal);
        Assert.Equal(4L * 10_000, MemoryEstimate.ForTraining(Reference, new PrefixSpec(), 16, 128, ComputeDtype.Float32, trainableParameters: 10_000).GradientBytes);
    }
}
