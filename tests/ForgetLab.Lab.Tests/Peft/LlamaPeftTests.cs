using System.Text.Json;
using ForgetLab.Core.Specs;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.Peft;
using ForgetLab.Lab.Tests.Model;
using ForgetLab.Lab.Training;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Peft;

/// <summary>Every method works on the Llama family by PEFT's module names, through the one model interface.</summary>
public class LlamaPeftTests
{
    public static TheoryData<string> Methods => ["full", "lora", "ia3", "adapter", "prefix", "freeze", "bitfit"];

    private static MethodSpec Method(string kind) => kind switch
    {
        "full" => new FullSpec(),
        "lora" => new LoraSpec { Rank = 2, TargetModules = ["q_proj", "v_proj"] },
        "ia3" => new Ia3Spec { TargetModules = ["k_proj", "v_proj", "down_proj"], FeedforwardModules = ["down_proj"] },
        "adapter" => new AdapterSpec { Bottleneck = 4 },
        "prefix" => new PrefixSpec { NumVirtualTokens = 3 },
        "freeze" => new FreezeSpec { TrainableLayers = [1] },
        "bitfit" => new BitFitSpec(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void EveryMethodTrainsALlamaModel(string kind)
    {
        // bitfit needs biases: a Qwen2-style model has them on q/k/v.
        using var model = TinyLlamas.Create(kind == "bitfit" ? TinyLlamas.Config with { ModelType = "qwen2" } : null);
        var baseWeights = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var (trainable, peft) = MethodSetup.Apply(model, Method(kind));
        var ownKeys = model.state_dict().Keys.Where(k => peft?.Owns(k) ?? true).ToHashSet();
        var data = new PackedTextBatches(TinyModels.Documents(), 16, 0, 5);

        var outcome = new Trainer(model, trainable, peft, data, TinyModels.Settings(steps: 16, lr: 3e-2)).Run(null);

        Assert.Equal(TrainingStatus.Completed, outcome.Status);
        var (first, last) = (outcome.Losses.Take(4).Average(l => l.Loss), outcome.Losses.TakeLast(4).Average(l => l.Loss));
        Assert.True(last < first, $"{kind} should learn something (loss {first:F3} → {last:F3})");
        var after = model.state_dict();
        foreach (var (key, value) in baseWeights.Where(kv => !ownKeys.Contains(kv.Key)))
            Assert.True(TensorAssert.Same(after[key], value), $"{key} changed under {kind}");
        Assert.Contains(ownKeys, k => !baseWeights.ContainsKey(k) || !TensorAssert.Same(after[k], baseWeights[k]));
    }

    [Fact]
    public void LoraTargetsProjectionsByPeftNames()
    {
        using var model = TinyLlamas.Create();
        new LoraSettings(2, 4, 0, ["q_proj", "v_proj"]).Apply(model);

        var adapted = model.Projections().Where(l => l.Layer.IsAdapted).Select(l => l.Path).Order().ToList();
        Assert.Equal(["model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj", "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj"], adapted);
    }

    [Fact]
    public void AllLinearAdaptsEveryProjectionButNotTheHead()
    {
        using var model = TinyLlamas.Create();
        new LoraSettings(2, 4, 0, [ModuleTargets.AllLinear]).Apply(model);

        var adapted = model.Projections().Where(l => l.Layer.IsAdapted).Select(l => l.Path[(l.Path.LastIndexOf('.') + 1)..]).Distinct().Order().ToList();
        Assert.Equal(["down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"], adapted);
        Assert.DoesNotContain(model.state_dict().Keys, k => k.StartsWith("lm_head.lora_", StringComparison.Ordinal));
    }

    [Fact]
    public void LoraAdapterFilesUsePeftKeyNamesForLlama()
    {
        using var model = TinyLlamas.Create();
        var settings = new LoraSettings(2, 4, 0, [ModuleTargets.AllLinear]);
        settings.Apply(model);
        var dir = TinyModels.TempDirectory();

        settings.Save(model, dir, "tiny-llama");

        var keys = Safetensors.LoadStateDict(Path.Combine(dir, PeftAdapterFiles.WeightsFile)).Keys.ToHashSet();
        Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", keys);
        Assert.Contains("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight", keys);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, PeftAdapterFiles.ConfigFile)));
        Assert.False(config.RootElement.GetProperty("fan_in_fan_out").GetBoolean()); // Linear stores (out, in)
        Assert.Equal(["down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"],
            config.RootElement.GetProperty("target_modules").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void LoraOnLlamaComputesPeftsDelta()
    {
        // PEFT: y = W·x + (alpha / r) · B·A·x on an nn.Linear, B (out, r), A (r, in).
        using var model = TinyLlamas.Create();
        new LoraSettings(2, 8, 0, ["q_proj"]).Apply(model);
        var state = model.state_dict();
        using var _ = no_grad();
        state["model.layers.0.self_attn.q_proj.lora_B.weight"].copy_(randn(32, 2));
        var layer = model.Projections().First(l => l.Path == "model.layers.0.self_attn.q_proj").Layer;
        var x = randn(3, 32);

        var expected = x.matmul(layer.Weight.t()) + x.matmul(state["model.layers.0.self_attn.q_proj.lora_A.weight"].t())
            .matmul(state["model.layers.0.self_attn.q_proj.lora_B.weight"].t()) * (8.0 / 2);
        Assert.True(layer.forward(x).allclose(expected, rtol: 1e-5, atol: 1e-5));
    }
}
