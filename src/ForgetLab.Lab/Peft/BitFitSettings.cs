using ForgetLab.Lab.Model;
using TorchSharp.Modules;

namespace ForgetLab.Lab.Peft;

/// <summary>BitFit (Ben Zaken et al. 2022): every bias trains (projection and LayerNorm biases), nothing else.</summary>
public sealed record BitFitSettings : PeftSettings
{
    public override string Method => "bitfit";

    public override bool Owns(string key) => key.EndsWith(".bias", StringComparison.Ordinal);

    public override IReadOnlyList<Parameter> Apply(GptModel model) => UnfreezeOwn(model);
}
