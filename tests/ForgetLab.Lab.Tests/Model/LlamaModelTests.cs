using ForgetLab.Lab.Model;
using ForgetLab.Lab.Model.Llama;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Model;

public class LlamaModelTests
{
    [Fact]
    public void StateDictUsesHuggingFaceLlamaNames()
    {
        using var model = TinyLlamas.Create();
        var keys = model.state_dict().Keys.ToHashSet();

        Assert.Contains("model.embed_tokens.weight", keys);
        Assert.Contains("model.layers.0.self_attn.q_proj.weight", keys);
        Assert.Contains("model.layers.1.mlp.down_proj.weight", keys);
        Assert.Contains("model.layers.0.input_layernorm.weight", keys);
        Assert.Contains("model.layers.0.post_attention_layernorm.weight", keys);
        Assert.Contains("model.norm.weight", keys);
        Assert.Contains("lm_head.weight", keys);
        Assert.DoesNotContain(keys, k => k.EndsWith(".bias", StringComparison.Ordinal));
        Assert.Equal([16, 32], model.state_dict()["model.layers.0.self_attn.k_proj.weight"].shape); // 2 kv heads × 8
        Assert.Equal(2 + 2 * 9 + 1, keys.Count);
    }

    [Fact]
    public void Qwen2HasBiasesOnQueryKeyAndValueButNotOnOutput()
    {
        using var model = TinyLlamas.Create(TinyLlamas.Config with { ModelType = "qwen2" });
        var keys = model.state_dict().Keys.ToHashSet();

        Assert.Contains("model.layers.0.self_attn.q_proj.bias", keys);
        Assert.Contains("model.layers.0.self_attn.k_proj.bias", keys);
        Assert.Contains("model.layers.0.self_attn.v_proj.bias", keys);
        Assert.DoesNotContain("model.layers.0.self_attn.o_proj.bias", keys);
        Assert.DoesNotContain("model.layers.0.mlp.up_proj.bias", keys);
    }

    [Fact]
    public void Qwen3NormalisesEachQueryAndKeyHead()
    {
        using var model = TinyLlamas.Create(TinyLlamas.Config with { ModelType = "qwen3" });
        var state = model.state_dict();

        Assert.Equal([8], state["model.layers.0.self_attn.q_norm.weight"].shape);
        Assert.Equal([8], state["model.layers.0.self_attn.k_norm.weight"].shape);
    }

    [Fact]
    public void ATiedHeadHasNoKeyOfItsOwnAndIsTheEmbedding()
    {
        using var model = TinyLlamas.Create(TinyLlamas.Config with { TieWordEmbeddings = true });
        Assert.DoesNotContain("lm_head.weight", model.state_dict().Keys);

        model.eval();
        using var _ = no_grad();
        using var tokens = tensor(new long[] { 3, 7, 1 }, [1, 3]);
        var before = model.forward(tokens);
        model.state_dict()["model.embed_tokens.weight"].mul_(2);
        Assert.False(before.allclose(model.forward(tokens)), "the head should follow the embedding");
    }

    [Fact]
    public void LogitsAreCausal()
    {
        using var model = TinyLlamas.Create();
        model.eval();
        using var _ = no_grad();
        var a = tensor(new long[] { 1, 2, 3, 4, 5, 6 }, [1, 6]);
        var b = tensor(new long[] { 1, 2, 3, 4, 9, 9 }, [1, 6]);
        var la = model.forward(a);
        var lb = model.forward(b);
        Assert.True(la[.., ..4].allclose(lb[.., ..4], rtol: 0, atol: 1e-6));
        Assert.False(la[.., 5].allclose(lb[.., 5]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SaveAndLoadRoundTripIsBitIdentical(bool tied)
    {
        using var model = TinyLlamas.Create(TinyLlamas.Config with { TieWordEmbeddings = tied, AttentionBias = true });
        var dir = TinyModels.TempDirectory();
        ModelFolder.Save(model, dir);
        using var loaded = ModelFolder.Load(dir);

        Assert.Equal(model.Config, loaded.Config);
        Assert.IsType<LlamaModel>(loaded);
        var original = model.state_dict();
        foreach (var (key, value) in loaded.state_dict())
            Assert.True(TensorAssert.Same(value, original[key]), $"{key} differs after the round trip");
        model.eval(); loaded.eval();
        using var _ = no_grad();
        using var tokens = tensor(new long[] { 5, 2, 9, 11 }, [1, 4]);
        Assert.True(TensorAssert.Same(model.forward(tokens), loaded.forward(tokens)));
    }

    [Fact]
    public void ATensorWhoseShapeDoesNotMatchTheConfigIsNamedWithItsShape()
    {
        using var model = TinyLlamas.Create();
        var dir = TinyModels.TempDirectory();
        ModelFolder.Save(model, dir);
        using var wider = TinyLlamas.Create(TinyLlamas.Config with { IntermediateSize = 64 });

        var error = Assert.Throws<InvalidDataException>(() => ModelFolder.LoadWeights(wider, dir));
        Assert.Contains("model.safetensors", error.Message);
        Assert.Contains("model.layers.0.mlp.gate_proj.weight", error.Message);
        Assert.Contains("[48, 32]", error.Message);
        Assert.Contains("[64, 32]", error.Message);
    }

    [Fact]
    public void ATensorTheArchitectureHasNoPlaceForIsRefused()
    {
        // A Qwen2 file (q/k/v biases) under a Llama config without attention_bias would otherwise load silently wrong.
        using var qwen2 = TinyLlamas.Create(TinyLlamas.Config with { ModelType = "qwen2" });
        var dir = TinyModels.TempDirectory();
        ModelFolder.Save(qwen2, dir);
        using var llama = TinyLlamas.Create();

        var error = Assert.Throws<InvalidDataException>(() => ModelFolder.LoadWeights(llama, dir));
        Assert.Contains("self_attn.", error.Message);
        Assert.Contains(".bias' has no place in a llama model", error.Message);
    }
}
