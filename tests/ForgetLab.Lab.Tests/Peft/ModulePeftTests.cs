using ForgetLab.Core.Specs;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Peft;
using ForgetLab.Lab.Runs;
using ForgetLab.Lab.Training;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Tests.Peft;

public class ModulePeftTests
{
    public static TheoryData<string> Methods => ["adapter", "prefix", "bitfit", "freeze"];

    private static MethodSpec Method(string kind) => kind switch
    {
        "adapter" => new AdapterSpec { Bottleneck = 4 },
        "prefix" => new PrefixSpec { NumVirtualTokens = 3 },
        "bitfit" => new BitFitSpec(),
        "freeze" => new FreezeSpec { TrainableLayers = [1] },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static PackedTextBatches Data() => new(TinyModels.Documents(), TinyModels.Config.NPositions, 0, 5);

    [Theory]
    [InlineData("adapter")]
    [InlineData("prefix")]
    public void ZeroInitialisedPartsLeaveTheBaseLogitsUnchangedAtStepZero(string kind)
    {
        using var model = TinyModels.Create();
        model.eval();
        var tokens = TinyModels.Tokens();
        Tensor before;
        using (no_grad()) before = model.forward(tokens);

        MethodSetup.Apply(model, Method(kind));

        using var _ = no_grad();
        Assert.True(TensorAssert.Same(model.forward(tokens), before));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void TrainingChangesOnlyTheMethodsOwnParameters(string kind)
    {
        using var model = TinyModels.Create();
        var baseWeights = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var (trainable, peft) = MethodSetup.Apply(model, Method(kind));
        var ownKeys = model.state_dict().Keys.Where(peft!.Owns).ToHashSet();

        var outcome = new Trainer(model, trainable, peft, Data(), TinyModels.Settings(steps: 16, lr: 3e-2)).Run(null);

        Assert.Equal(TrainingStatus.Completed, outcome.Status);
        var (first, last) = (outcome.Losses.Take(4).Average(l => l.Loss), outcome.Losses.TakeLast(4).Average(l => l.Loss));
        Assert.True(last < first, $"the method should learn something (loss {first:F3} → {last:F3})");
        Assert.Equal(ownKeys.Count, trainable.Count);
        var after = model.state_dict();
        foreach (var (key, value) in baseWeights.Where(kv => !ownKeys.Contains(kv.Key)))
            Assert.True(TensorAssert.Same(after[key], value), $"{key} changed under {kind}");
        Assert.Contains(ownKeys, k => !baseWeights.ContainsKey(k) || !TensorAssert.Same(after[k], baseWeights[k]));
    }

    [Theory]
    [InlineData("bitfit", "transformer.h.0.attn.c_attn.bias", "transformer.h.0.attn.c_attn.weight")]
    [InlineData("freeze", "transformer.h.1.mlp.c_fc.weight", "transformer.h.0.mlp.c_fc.weight")]
    [InlineData("freeze", "transformer.h.1.ln_1.bias", "transformer.wte.weight")]
    public void BitFitTrainsBiasesAndFreezingTrainsTheListedBlocks(string kind, string trained, string frozen)
    {
        using var model = TinyModels.Create();
        MethodSetup.Apply(model, Method(kind));
        var flags = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.requires_grad);

        Assert.True(flags[trained]);
        Assert.False(flags[frozen]);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void CheckpointsHoldOnlyTheTrainedTensorsAndRestoreThem(string kind)
    {
        var dir = TinyModels.TempDirectory();
        using var model = TinyModels.Create();
        var (trainable, peft) = MethodSetup.Apply(model, Method(kind));
        new Trainer(model, trainable, peft, Data(), TinyModels.Settings(steps: 4)).Run(dir);
        var step = Path.Combine(dir, TrainingCheckpoint.FolderName(4));

        var saved = Safetensors.LoadStateDict(Path.Combine(step, AdapterCheckpointFiles.WeightsFile));
        Assert.False(File.Exists(Path.Combine(step, ModelFolder.WeightsFile)));
        Assert.Equal(model.state_dict().Keys.Where(peft!.Owns).Order(), saved.Keys.Order());
        Assert.Contains($"\"forgetlab_method\": \"{kind}\"", File.ReadAllText(Path.Combine(step, AdapterCheckpointFiles.ConfigFile)));

        using var fresh = TinyModels.Create();
        MethodSetup.Apply(fresh, Method(kind));
        AdapterCheckpointFiles.LoadWeights(fresh, step);
        model.eval();
        fresh.eval();
        var tokens = TinyModels.Tokens();
        using var _ = no_grad();
        Assert.True(TensorAssert.Same(fresh.forward(tokens), model.forward(tokens)));
    }

    [Fact]
    public void PrefixesAndAdaptersStayOutOfTheEffectiveWeights()
    {
        using var model = TinyModels.Create();
        var baseKeys = model.EffectiveStateDict().Keys.Order().ToList();
        new AdapterSettings(4).Apply(model);
        new PrefixSettings(2).Apply(model);

        Assert.Equal(baseKeys, model.EffectiveStateDict().Keys.Order());
        Assert.Contains("transformer.h.0.attn.prefix_gate", model.state_dict().Keys);
        Assert.Contains("transformer.h.1.adapter_mlp.up.weight", model.state_dict().Keys);
    }

    [Fact]
    public void RsLoraScalesByAlphaOverTheSquareRootOfTheRank()
    {
        Assert.Equal(16 / 8.0, new LoraSettings(64, 16, 0, ["c_attn"], UseRsLora: true).Scaling);
        Assert.Equal(16 / 64.0, new LoraSettings(64, 16, 0, ["c_attn"]).Scaling);
        var settings = MethodSetup.Settings(new LoraSpec { Rank = 4, Alpha = 8, UseRsLora = true });
        Assert.Equal(4.0, ((LoraSettings)settings!).Scaling);
    }

    [Theory]
    [InlineData("attention", new[] { "attn.c_attn", "attn.c_proj" })]
    [InlineData("mlp", new[] { "mlp.c_fc", "mlp.c_proj" })]
    [InlineData("all-linear", new[] { "attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj" })]
    public void TargetModulePresetsAdaptExactlyTheirLayers(string preset, string[] layers)
    {
        using var model = TinyModels.Create();
        var spec = new LoraSpec { Rank = 2, TargetModules = LoraSpec.TargetPresets[preset] };

        MethodSetup.Apply(model, spec);

        var adapted = model.Projections().Where(l => l.Layer.IsAdapted).Select(l => l.Path).ToList();
        Assert.Equal(layers.SelectMany(l => new[] { $"transformer.h.0.{l}", $"transformer.h.1.{l}" }).Order(), adapted.Order());
    }
}
