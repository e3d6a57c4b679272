using ForgetLab.Core.Specs;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Peft;
using TorchSharp.Modules;

namespace ForgetLab.Lab.Runs;

/// <summary>Turns a spec's method into what the trainer needs: the parameters it may change, and the PEFT method (if any).</summary>
public static class MethodSetup
{
    /// <returns>
    /// The parameters the optimizer gets, and the method for <c>Trainer</c> and checkpoints
    /// (null for full fine-tuning, which checkpoints the whole model).
    /// </returns>
    public static (IReadOnlyList<Parameter> Trainable, IPeftMethod? Peft) Apply(CausalLanguageModel model, MethodSpec method)
    {
        var peft = Settings(method);
        return (peft?.Apply(model) ?? model.parameters().ToList(), peft);
    }

    /// <summary>The engine's method for a spec method (<see cref="PeftMethods"/>); null for full fine-tuning.</summary>
    public static IPeftMethod? Settings(MethodSpec method) => PeftMethods.For(method);
}
