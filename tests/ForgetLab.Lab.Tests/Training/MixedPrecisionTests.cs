using ForgetLab.Core.Models;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Model.Llama;
using ForgetLab.Lab.Peft;
using ForgetLab.Lab.Tests.Model;
using ForgetLab.Lab.Training;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Training;

/// <summary>compute_dtype bfloat16 (autocast) and gradient checkpointing on every architecture.</summary>
public class MixedPrecisionTests
{
    public static TheoryData<string> Architectures => ["gpt2", "llama", "qwen2"];

    private static CausalLanguageModel Create(string architecture) => architecture switch
    {
        "gpt2" => TinyModels.Create(),
        "llama" => TinyLlamas.Create(),
        _ => TinyLlamas.Create(TinyLlamas.Config with { ModelType = "qwen2", TieWordEmbeddings = true }),
    };

    /// <summary>The loss and every trainable parameter's gradient of one forward/backward.</summary>
    private static (float Loss, Dictionary<string, Tensor> Grads) LossAndGrads(CausalLanguageModel model, ScalarType? dtype, bool checkpointing, IReadOnlyList<TorchSharp.Modules.Parameter>? trainable = null)
    {
        model.train();
        model.GradientCheckpointing = checkpointing;
        model.zero_grad();
        var tokens = TinyModels.Tokens(batch: 2, length: 10);
        Tensor loss;
        using (Autocast.Enter(dtype))
        {
            var logits = model.forward(tokens);
            Assert.Equal(ScalarType.Float32, logits.dtype);
            loss = nn.functional.cross_entropy(logits[.., ..^1].reshape(-1, logits.shape[^1]), tokens[.., 1..].reshape(-1));
        }
        loss.backward();
        var chosen = (trainable ?? model.parameters().ToList()).ToHashSet(ReferenceEqualityComparer.Instance);
        var grads = model.named_parameters().Where(p => chosen.Contains(p.parameter) && p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        return (loss.item<float>(), grads);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void CheckpointedLayersGiveTheSameGradientsAsKeptActivations(string architecture)
    {
        using var model = Create(architecture);
        var attentionCalls = 0;
        var hook = model.Layers()[0].Attention.register_forward_hook((_, _, output) => { attentionCalls++; return output; });
        var (plainLoss, plain) = LossAndGrads(model, null, checkpointing: false);
        Assert.Equal(1, attentionCalls);
        var (loss, checkpointed) = LossAndGrads(model, null, checkpointing: true);
        Assert.Equal(3, attentionCalls);   // the checkpointed layer ran again in backward
        hook.remove();
        Assert.Equal(plainLoss, loss);
        Assert.Equal(plain.Keys.Order(), checkpointed.Keys.Order());
        foreach (var (name, grad) in plain)
            Assert.True(grad.allclose(checkpointed[name], rtol: 1e-5, atol: 1e-7), $"{name}: max difference {(grad - checkpointed[name]).abs().max().item<float>()}");
        Assert.True(plain.Values.All(g => g.abs().sum().item<float>() > 0) || architecture != "gpt2");
    }

    [Fact]
    public void CheckpointingUnderBfloat16AndLoraMatchesTheKeptActivationsToo()
    {
        using var model = TinyLlamas.Create();
        var trainable = new LoraSettings(4, 8, 0, ["q_proj", "v_proj", "down_proj"]).Apply(model);
        var (_, plain) = LossAndGrads(model, ScalarType.BFloat16, checkpointing: false, trainable);
        var (_, checkpointed) = LossAndGrads(model, ScalarType.BFloat16, checkpointing: true, trainable);
        Assert.Equal(trainable.Count, plain.Count);
        Assert.Contains(plain.Values, g => g.abs().sum().item<float>() > 0);
        foreach (var (name, grad) in plain)
            Assert.True(grad.allclose(checkpointed[name], rtol: 1e-5, atol: 1e-7), name);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Bfloat16ComputesNearFloat32WithFloat32GradientsAndWeights(string architecture)
    {
        using var model = Create(architecture);
        var tokens = TinyModels.Tokens(batch: 2, length: 10);
        model.eval();
        using var _ = no_grad();
        var fp32 = model.forward(tokens);
        Tensor bf16;
        using (Autocast.Enter(ScalarType.BFloat16)) bf16 = model.forward(tokens);
        // bfloat16 keeps 8 bits of mantissa: the logits move, but only by its rounding.
        Assert.False(TensorAssert.Same(fp32, bf16), "autocast left the logits bit-identical: nothing ran in bfloat16");
        var scale = fp32.abs().max().item<float>();
        Assert.True((fp32 - bf16).abs().max().item<float>() < 0.05 * scale, $"bf16 logits differ by {(fp32 - bf16).abs().max().item<float>()} (scale {scale})");
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
    }

    [Fact]
    public void ABfloat16RunLearnsAsTheFloat32RunDoesAndKeepsFloat32MasterWeights()
    {
        TrainingOutcome Train(ComputeDtype dtype, bool checkpointing, out CausalLanguageModel trained)
        {
            var model = TinyModels.Create();
            var data = new PackedTextBatches(TinyModels.Documents(), TinyModels.Config.NPositions, 0, 11);
            var settings = TinyModels.Settings(steps: 20) with { ComputeDtype = dtype, GradientCheckpointing = checkpointing };
            trained = model;
            return new Trainer(model, model.parameters().ToList(), null, data, settings).Run(null);
        }
        var fp32 = Train(ComputeDtype.Float32, false, out var a);
        var bf16 = Train(ComputeDtype.BFloat16, true, out var b);
        using (a)
        using (b)
        {
            Assert.All(b.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
            Assert.NotEqual(fp32.Losses.Select(l => l.Loss), bf16.Losses.Select(l => l.Loss));
            Assert.True(bf16.Losses.TakeLast(5).Average(l => l.Loss) < bf16.Losses.Take(5).Average(l => l.Loss) - 0.5);
            Assert.True(Math.Abs(fp32.Losses[^1].Loss - bf16.Losses[^1].Loss) < 0.25, $"fp32 {fp32.Losses[^1].Loss}, bf16 {bf16.Losses[^1].Loss}");
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void TheMemoryShapeCountsExactlyTheModelsParameters(string architecture)
    {
        using var model = Create(architecture);
        Assert.Equal(model.parameters().Sum(p => p.numel()), ModelShape.Of(model.Config).Parameters);
        var lora = new LoraSpec { Rank = 4, TargetModules = architecture == "gpt2" ? ["c_attn", "mlp.c_proj"] : ["q_proj", "v_proj", "down_proj"] };
        var trainable = new LoraSettings(4, 8, 0, lora.TargetModules).Apply(model);
        Assert.Equal(trainable.Sum(p => p.numel()), MethodParameters.Trainable(ModelShape.Of(model.Config), lora));
    }

    /// <summary>The methods whose trainable count Core's <see cref="MethodParameters"/> leaves to the engine: the run's memory estimate counts them from the shape.</summary>
    [Theory]
    [MemberData(nameof(Architectures))]
    public void TheRunEstimateCountsThePrefixIa3AndFreezeParametersTheEngineTrains(string architecture)
    {
        MethodSpec[] methods =
        [
            new PrefixSpec { NumVirtualTokens = 3 },
            architecture == "gpt2" ? new Ia3Spec() : new Ia3Spec { TargetModules = ["k_proj", "v_proj", "down_proj"], FeedforwardModules = ["down_proj"] },
            new FreezeSpec { TrainableLayers = [1] },
        ];
        foreach (var method in methods)
        {
            using var model = Create(architecture);
            var trained = ForgetLab.Lab.Peft.PeftMethods.For(method)!.Apply(model).Sum(p => p.numel());
            Assert.Equal(trained, RunMemoryEstimate.TrainableParameters(ModelShape.Of(model.Config), method));
        }
    }
}
