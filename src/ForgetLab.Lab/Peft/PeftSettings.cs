using ForgetLab.Lab.Model;
using TorchSharp.Modules;

namespace ForgetLab.Lab.Peft;

/// <summary>
/// The common base of the engine's methods: a settings record that is also the method
/// (<see cref="IPeftMethod"/>). Checkpoints default to <see cref="AdapterCheckpointFiles"/> (the trained
/// tensors under their state-dict names); methods PEFT has a layout for (LoRA, (IA)³) write PEFT's.
/// </summary>
public abstract record PeftSettings : IPeftMethod
{
    /// <summary>The method's YAML name (lora, adapter, prefix, bitfit, freeze, ia3).</summary>
    public abstract string Method { get; }

    /// <summary>True for the state-dict keys the method trains.</summary>
    public abstract bool Owns(string key);

    public abstract IReadOnlyList<Parameter> Apply(CausalLanguageModel model);

    public virtual void Save(CausalLanguageModel model, string directory, string baseModelName) =>
        AdapterCheckpointFiles.Save(model, this, directory, baseModelName);

    public virtual void LoadWeights(CausalLanguageModel model, string directory) => AdapterCheckpointFiles.LoadWeights(model, directory);

    /// <summary>Every parameter stops training; a method then adds or unfreezes its own.</summary>
    protected static void FreezeAll(CausalLanguageModel model)
    {
        foreach (var p in model.parameters()) p.requires_grad = false;
    }

    /// <summary>BitFit and layer freezing: the base parameters <see cref="Owns"/> names train, nothing else.</summary>
    protected IReadOnlyList<Parameter> UnfreezeOwn(CausalLanguageModel model)
    {
        FreezeAll(model);
        var trainable = model.named_parameters().Where(p => Owns(p.name)).Select(p => p.parameter).ToList();
        foreach (var p in trainable) p.requires_grad = true;
        return trainable;
    }
}
