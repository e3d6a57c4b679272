using ForgetLab.Core.Specs;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Peft;
using TorchSharp.Modules;

namespace ForgetLab.Lab.Experiments;

/// <summary>Turns a spec's method into what the trainer needs: the parameters it may change, and the adapter (if any).</summary>
public static class MethodSetup
{
    public static (IReadOnlyList<Parameter> Trainable, LoraSettings? Lora) Apply(GptModel model, MethodSpec method)
    {
        switch (method.Type)
        {
            case MethodType.Full:
                return (model.parameters().ToList(), null);
            case MethodType.Lora:
                var spec = method.Lora ?? new LoraSpec();
                var settings = new LoraSettings(spec.Rank, spec.Alpha, spec.Dropout, spec.TargetModules);
                return (Lora.Apply(model, settings), settings);
            default:
                throw new NotSupportedException($"method '{method.Type}' is not supported by this engine");
        }
    }
}
