using ForgetLab.Lab.Model;
using ForgetLab.Lab.Model.Gpt2;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Model;

public class GptModelTests
{
    [Fact]
    public void StateDictUsesHuggingFaceGpt2Names()
    {
        using var model = TinyModels.Create();
        var keys = model.state_dict().Keys.ToHashSet();
        string[] expected =
        [
            "transformer.wte.weight", "transformer.wpe.weight",
            "transformer.h.0.ln_1.weight", "transformer.h.0.ln_1.bias",
            "transformer.h.0.attn.c_attn.weight", "transformer.h.0.attn.c_attn.bias",
            "transformer.h.0.attn.c_proj.weight", "transformer.h.0.ln_2.weight",
            "transformer.h.0.mlp.c_fc.weight", "transformer.h.0.mlp.c_proj.bias",
            "transformer.h.1.attn.c_attn.weight", "transformer.ln_f.weight", "transformer.ln_f.bias",
        ];
        Assert.All(expected, k => Assert.Contains(k, keys));
        Assert.DoesNotContain("lm_head.weight", keys); // tied to wte, as in Hugging Face's files
        Assert.Equal(2 + 12 * 2 + 2, keys.Count);
    }

    [Fact]
    public void Conv1DWeightsAreStoredInputByOutputLikeGpt2()
    {
        using var model = TinyModels.Create();
        var sd = model.state_dict();
        Assert.Equal([32L, 96L], sd["transformer.h.0.attn.c_attn.weight"].shape);
        Assert.Equal([32L, 128L], sd["transformer.h.0.mlp.c_fc.weight"].shape);
        Assert.Equal([128L, 32L], sd["transformer.h.0.mlp.c_proj.weight"].shape);
    }

    [Fact]
    public void LogitsAreCausal()
    {
        using var model = TinyModels.Create();
        model.eval();
        using var _ = no_grad();
        var tokens = TinyModels.Tokens(batch: 1, length: 10);
        var changed = tokens.clone();
        changed[0, 9] = (changed[0, 9] + 1) % TinyModels.Config.VocabSize;
        var a = model.forward(tokens);
        var b = model.forward(changed);
        Assert.True(a[.., ..9].allclose(b[.., ..9]), "earlier positions must not see later tokens");
        Assert.False(a[.., 9].allclose(b[.., 9]));
    }

    [Fact]
    public void SafetensorsRoundTripIsBitIdentical()
    {
        using var model = TinyModels.Create(seed: 3);
        var dir = TinyModels.TempDirectory();
        ModelFolder.Save(model, dir);
        using var loaded = ModelFolder.Load(dir);
        Assert.Equal(model.Config, loaded.Config);
        var original = model.state_dict();
        foreach (var (key, value) in loaded.state_dict())
            Assert.True(TensorAssert.Same(value, original[key]), $"{key} differs after the round trip");
        model.eval(); loaded.eval();
        using var _ = no_grad();
        var tokens = TinyModels.Tokens();
        Assert.True(TensorAssert.Same(model.forward(tokens), loaded.forward(tokens)));
    }

    [Fact]
    public void LoadingAFolderWithAWrongShapeNamesTheTensor()
    {
        using var model = TinyModels.Create();
        var dir = TinyModels.TempDirectory();
        ModelFolder.Save(model, dir);
        using var wider = new GptModel(TinyModels.Config with { NEmbd = 64 });
        var error = Assert.Throws<InvalidDataException>(() => ModelFolder.LoadWeights(wider, dir));
        Assert.Contains("transformer.wte.weight", error.Message);
        Assert.Contains("[40, 32]", error.Message);
    }
}
