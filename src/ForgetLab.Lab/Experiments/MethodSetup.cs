using ForgetLab.Core.Specs;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Peft;
using TorchSharp.Modules;

namespace ForgetLab.Lab.Experiments;

/// <summary>Turns a spec's method into what the trainer needs: the parameters it may change, and the PEFT settings (if any).</summary>
public static class MethodSetup
{
    /// <returns>
    /// The parameters the optimizer gets, and the method's settings for <c>Trainer</c> and checkpoints
    /// (null for full fine-tuning, which checkpoints the whole model).
    /// </returns>
    public static (IReadOnlyList<Parameter> Trainable, PeftSettings? Peft) Apply(GptModel model, MethodSpec method)
    {
        var peft = Settings(method);
        IReadOnlyList<Parameter> trainable = peft switch
        {
            null => model.parameters().ToList(),
            LoraSettings lora => Peft.Lora.Apply(model, lora),
            AdapterSettings adapter => ModulePeft.ApplyAdapters(model, adapter),
            PrefixSettings prefix => ModulePeft.ApplyPrefix(model, prefix),
            _ => ModulePeft.Unfreeze(model, peft),
        };
        return (trainable, peft);
    }

    /// <summary>The engine's settings for a spec method; null for full fine-tuning.</summary>
    public static PeftSettings? Settings(MethodSpec method) => method.Type switch
    {
        MethodType.Full => null,
        MethodType.Lora => Lora(method.Lora ?? new LoraSpec()),
        MethodType.Adapter => new AdapterSettings((method.Adapter ?? new AdapterSpec()).Bottleneck),
        MethodType.Prefix => new PrefixSettings((method.Prefix ?? new PrefixSpec()).NumVirtualTokens),
        MethodType.BitFit => new BitFitSettings(),
        MethodType.Freeze => new FreezeSettings(method.Freeze?.TrainableLayers
            ?? throw new ArgumentException("method 'freeze' needs trainable_layers")),
        _ => throw new NotSupportedException($"method '{method.Type}' is not supported by this engine"),
    };

    private static LoraSettings Lora(LoraSpec l) => new(l.Rank, l.Alpha, l.Dropout, l.TargetModules, l.UseRsLora);
}
