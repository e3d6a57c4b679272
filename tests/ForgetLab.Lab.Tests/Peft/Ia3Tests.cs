using ForgetLab.Core.Specs;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Peft;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.Training;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Peft;

public class Ia3Tests
{
    private static readonly Ia3Settings Settings = new(Ia3Spec.DefaultTargetModules, Ia3Spec.DefaultFeedforwardModules);

    private static PackedTextBatches Data() => new(TinyModels.Documents(), TinyModels.Config.NPositions, 0, 5);

    [Fact]
    public void Ia3InitialisedToOnesGivesLogitsIdenticalToTheBase()
    {
        using var model = TinyModels.Create();
        model.eval();
        var tokens = TinyModels.Tokens();
        Tensor before;
        using (no_grad()) before = model.forward(tokens);

        MethodSetup.Apply(model, new Ia3Spec());

        using var _ = no_grad();
        Assert.True(TensorAssert.Same(model.forward(tokens), before));
    }

    [Fact]
    public void Ia3VectorsFollowPeftsShapesAndPlacement()
    {
        using var model = TinyModels.Create();
        var trainable = Settings.Apply(model);
        var sd = model.state_dict();

        // Output scaling on the fused q/k/v projection: (out, 1); input scaling on the MLP's down-projection: (1, in).
        Assert.Equal([96L, 1L], sd["transformer.h.0.attn.c_attn.ia3_l"].shape);
        Assert.Equal([1L, 128L], sd["transformer.h.1.mlp.c_proj.ia3_l"].shape);
        Assert.DoesNotContain(sd.Keys, k => k.Contains("attn.c_proj.ia3_l") || k.Contains("c_fc.ia3_l"));
        Assert.Equal(4, trainable.Count);
        Assert.All(model.named_parameters(), p => Assert.Equal(p.name.EndsWith(".ia3_l"), p.parameter.requires_grad));
    }

    [Fact]
    public void Ia3ScalesTheTargetsOutputAndTheFeedforwardInput()
    {
        using var model = TinyModels.Create();
        Settings.Apply(model);
        var layers = model.Projections().ToDictionary(l => l.Path, l => l.Layer);
        var (attn, down) = (layers["transformer.h.0.attn.c_attn"], layers["transformer.h.0.mlp.c_proj"]);
        random.manual_seed(4);
        using var _ = no_grad();
        var lAttn = rand(96, 1) + 0.5;
        var lDown = rand(1, 128) + 0.5;
        model.state_dict()["transformer.h.0.attn.c_attn.ia3_l"].copy_(lAttn);
        model.state_dict()["transformer.h.0.mlp.c_proj.ia3_l"].copy_(lDown);
        var x = randn(5, 32);
        var h = randn(5, 128);

        var expectedAttn = (x.matmul(attn.Weight) + attn.Bias!) * lAttn.flatten();  // y · l
        var expectedDown = (h * lDown).matmul(down.Weight) + down.Bias!;            // (x · l) W + b

        Assert.True(attn.forward(x).allclose(expectedAttn, rtol: 1e-5, atol: 1e-6));
        Assert.True(down.forward(h).allclose(expectedDown, rtol: 1e-5, atol: 1e-6));
        Assert.True(x.matmul(attn.EffectiveWeight()).add(attn.EffectiveBias()!).allclose(expectedAttn, rtol: 1e-5, atol: 1e-5));
        Assert.True(h.matmul(down.EffectiveWeight()).add(down.EffectiveBias()!).allclose(expectedDown, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Ia3TrainingLeavesBaseWeightsBitIdentical()
    {
        using var model = TinyModels.Create();
        var baseWeights = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var (trainable, peft) = MethodSetup.Apply(model, new Ia3Spec());

        var outcome = new Trainer(model, trainable, peft, Data(), TinyModels.Settings(steps: 24, lr: 1e-1)).Run(null);

        Assert.Equal(TrainingStatus.Completed, outcome.Status);
        Assert.True(outcome.Losses.TakeLast(3).Average(l => l.Loss) < outcome.Losses.Take(3).Average(l => l.Loss), "the vectors should learn something");
        var after = model.state_dict();
        foreach (var (key, value) in baseWeights)
            Assert.True(TensorAssert.Same(after[key], value), $"{key} changed under (IA)³ training");
        Assert.Contains(after, kv => kv.Key.EndsWith(".ia3_l") && !TensorAssert.Same(kv.Value, ones_like(kv.Value)));
    }

    [Fact]
    public void Ia3CheckpointsUsePeftLayoutAndRoundTrip()
    {
        var dir = TinyModels.TempDirectory();
        using var model = TinyModels.Create();
        var (trainable, peft) = MethodSetup.Apply(model, new Ia3Spec());
        new Trainer(model, trainable, peft, Data(), TinyModels.Settings(steps: 4, lr: 3e-2)).Run(dir);
        var step = Path.Combine(dir, TrainingCheckpoint.FolderName(4));

        var saved = Safetensors.LoadStateDict(Path.Combine(step, PeftAdapterFiles.WeightsFile));
        Assert.False(File.Exists(Path.Combine(step, ModelFolder.WeightsFile)));
        Assert.Equal(
            ["base_model.model.transformer.h.0.attn.c_attn.ia3_l", "base_model.model.transformer.h.0.mlp.c_proj.ia3_l",
             "base_model.model.transformer.h.1.attn.c_attn.ia3_l", "base_model.model.transformer.h.1.mlp.c_proj.ia3_l"],
            saved.Keys.Order(StringComparer.Ordinal));
        var config = File.ReadAllText(Path.Combine(step, PeftAdapterFiles.ConfigFile));
        Assert.Contains("\"peft_type\": \"IA3\"", config);
        Assert.Contains("\"feedforward_modules\": [\n    \"mlp.c_proj\"\n  ]", config.ReplaceLineEndings("\n"));
        Assert.Equal(Settings, Ia3Settings.Read(step));

        using var fresh = TinyModels.Create();
        var (_, freshPeft) = MethodSetup.Apply(fresh, new Ia3Spec());
        TrainingCheckpoint.LoadWeights(step, fresh, freshPeft);
        model.eval();
        fresh.eval();
        var tokens = TinyModels.Tokens();
        using var _ = no_grad();
        Assert.True(TensorAssert.Same(fresh.forward(tokens), model.forward(tokens)));
    }

    [Fact]
    public void Ia3NamingNoLayerIsRefused()
    {
        using var model = TinyModels.Create();
        var error = Assert.Throws<ArgumentException>(() => new Ia3Settings(["k_proj"], []).Apply(model));
        Assert.Contains("k_proj", error.Message);
    }
}
