using ForgetLab.Lab.Peft;
using ForgetLab.Lab.Training;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Peft;

public class LoraTests
{
    private static readonly LoraSettings Settings = new(Rank: 4, Alpha: 8, Dropout: 0, TargetModules: ["c_attn", "c_proj", "c_fc"]);

    [Fact]
    public void LoraWithZeroBGivesLogitsIdenticalToTheBase()
    {
        using var model = TinyModels.Create();
        model.eval();
        var tokens = TinyModels.Tokens();
        Tensor before;
        using (no_grad()) before = model.forward(tokens);
        Settings.Apply(model);
        using var _ = no_grad();
        Assert.True(TensorAssert.Same(model.forward(tokens), before));
    }

    [Fact]
    public void LoraDropoutIsOffInEvaluation()
    {
        using var model = TinyModels.Create();
        new LoraSettings(Rank: 4, Alpha: 8, Dropout: 0.5, TargetModules: ["c_attn"]).Apply(model);
        using (no_grad())
            foreach (var (key, value) in model.state_dict().Where(kv => kv.Key.EndsWith("lora_B.weight")))
                value.copy_(randn(value.shape));
        var tokens = TinyModels.Tokens();
        using var _ = no_grad();

        model.train();
        Assert.False(TensorAssert.Same(model.forward(tokens), model.forward(tokens)), "dropout should be on in training");
        model.eval();
        Assert.True(TensorAssert.Same(model.forward(tokens), model.forward(tokens)), "eval() should switch LoRA's dropout off");
    }

    [Fact]
    public void LoraTrainingLeavesBaseWeightsBitIdentical()
    {
        using var model = TinyModels.Create();
        var baseWeights = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var trainable = Settings.Apply(model);
        var data = new PackedTextBatches(TinyModels.Documents(), TinyModels.Config.NPositions, 0, 5);
        var outcome = new Trainer(model, trainable, Settings, data, TinyModels.Settings(steps: 10)).Run(null);
        Assert.Equal(TrainingStatus.Completed, outcome.Status);
        Assert.True(outcome.Losses[^1].Loss < outcome.Losses[0].Loss, "the adapter should learn something");
        var after = model.state_dict();
        foreach (var (key, value) in baseWeights)
            Assert.True(TensorAssert.Same(after[key], value), $"{key} changed under LoRA training");
        Assert.Contains(after, kv => kv.Key.EndsWith("lora_B.weight") && kv.Value.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void MergingFoldsTheAdapterIntoTheBaseWithoutChangingLogits()
    {
        using var model = TinyModels.Create();
        var trainable = Settings.Apply(model);
        var data = new PackedTextBatches(TinyModels.Documents(), TinyModels.Config.NPositions, 0, 5);
        new Trainer(model, trainable, Settings, data, TinyModels.Settings(steps: 6)).Run(null);
        model.eval();
        var tokens = TinyModels.Tokens();
        using var _ = no_grad();
        var adapted = model.forward(tokens);
        LoraSettings.Merge(model);
        Assert.True(model.forward(tokens).allclose(adapted, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void AdapterFilesUsePeftLayoutAndKeyNames()
    {
        using var model = TinyModels.Create();
        Settings.Apply(model);
        var dir = TinyModels.TempDirectory();
        Settings.Save(model, dir, "tiny");
        var keys = Safetensors.LoadStateDict(Path.Combine(dir, "adapter_model.safetensors")).Keys.ToHashSet();
        Assert.Contains("base_model.model.transformer.h.0.attn.c_attn.lora_A.weight", keys);
        Assert.Contains("base_model.model.transformer.h.1.mlp.c_fc.lora_B.weight", keys);
        Assert.Equal(2 * 2 * 4, keys.Count); // 2 layers × 4 Conv1D × (A, B)
        Assert.DoesNotContain(keys, k => !k.Contains(".lora_"));
        var config = File.ReadAllText(Path.Combine(dir, "adapter_config.json"));
        Assert.Contains("\"peft_type\": \"LORA\"", config);
        Assert.Contains("\"fan_in_fan_out\": true", config);
        Assert.Equal(Settings with { }, LoraSettings.Read(dir) with { TargetModules = Settings.TargetModules });
    }

    [Fact]
    public void AdapterShapesFollowPeft()
    {
        using var model = TinyModels.Create();
        Settings.Apply(model);
        var sd = model.state_dict();
        Assert.Equal([4L, 32L], sd["transformer.h.0.attn.c_attn.lora_A.weight"].shape);  // (r, in)
        Assert.Equal([96L, 4L], sd["transformer.h.0.attn.c_attn.lora_B.weight"].shape);  // (out, r)
    }
}
