using ForgetLab.Lab.Model;
using TorchSharp.Modules;

namespace ForgetLab.Lab.Peft;

/// <summary>
/// Puts the non-LoRA parameter-efficient methods on a model: freezes every base weight, then adds
/// or unfreezes the method's own parameters and returns them for the optimizer. Methods that add
/// modules (adapters, prefixes) start as exact identities, so logits equal the base's at step 0.
/// </summary>
public static class ModulePeft
{
    /// <summary>Bottleneck adapters after attention and MLP of every block (up-projection at zero).</summary>
    public static IReadOnlyList<Parameter> ApplyAdapters(GptModel model, AdapterSettings settings)
    {
        FreezeAll(model);
        return model.Blocks().SelectMany(b => b.AttachAdapters(settings.Bottleneck)).ToList();
    }

    /// <summary>Gated prefixes in every attention layer: keys/values ~ N(0, initializer_range), gates at zero.</summary>
    public static IReadOnlyList<Parameter> ApplyPrefix(GptModel model, PrefixSettings settings)
    {
        FreezeAll(model);
        return model.Blocks()
            .SelectMany(b => b.Attention.AttachPrefix(settings.NumVirtualTokens, model.Config.HeadSize, model.Config.InitializerRange))
            .ToList();
    }

    /// <summary>BitFit and layer freezing: unfreeze the base parameters the settings own.</summary>
    public static IReadOnlyList<Parameter> Unfreeze(GptModel model, PeftSettings settings)
    {
        if (settings is FreezeSettings freeze && freeze.TrainableLayers.FirstOrDefault(i => i < 0 || i >= model.Config.NLayer, -1) is var bad and >= 0)
            throw new ArgumentException($"trainable_layers names layer {bad}, but the model has {model.Config.NLayer} layers.");
        FreezeAll(model);
        var trainable = model.named_parameters().Where(p => settings.Owns(p.name)).Select(p => p.parameter).ToList();
        foreach (var p in trainable) p.requires_grad = true;
        return trainable;
    }

    private static void FreezeAll(GptModel model)
    {
        foreach (var p in model.parameters()) p.requires_grad = false;
    }
}
