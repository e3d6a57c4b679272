using ForgetLab.Lab.Model;
using TorchSharp.Modules;

namespace ForgetLab.Lab.Peft;

/// <summary>
/// A parameter-efficient fine-tuning method as the engine sees it: it puts itself on a model (by
/// module name where it works on projections, as PEFT's <c>target_modules</c> does), owns the
/// state-dict keys it trains, and writes and reads its adapter-only checkpoint files. Core's
/// <c>MethodSpec</c> record of the same name holds its settings, run label and report fields;
/// <see cref="PeftMethods"/> maps one onto the other.
/// </summary>
public interface IPeftMethod
{
    /// <summary>The method's YAML name (lora, adapter, prefix, bitfit, freeze, ia3).</summary>
    string Method { get; }

    /// <summary>Freezes the base, attaches or unfreezes the method's parameters, and returns them for the optimizer.</summary>
    IReadOnlyList<Parameter> Apply(CausalLanguageModel model);

    /// <summary>True for the state-dict keys the method trains (an adapter-only checkpoint holds exactly these).</summary>
    bool Owns(string key);

    /// <summary>Writes the method's checkpoint files (<c>adapter_config.json</c>, <c>adapter_model.safetensors</c>) into <paramref name="directory"/>.</summary>
    void Save(CausalLanguageModel model, string directory, string baseModelName);

    /// <summary>Copies a checkpoint's tensors into a model the method was applied to.</summary>
    void LoadWeights(CausalLanguageModel model, string directory);
}
