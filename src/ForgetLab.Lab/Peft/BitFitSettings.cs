using ForgetLab.Lab.Model;
using TorchSharp.Modules;

namespace ForgetLab.Lab.Peft;

/// <summary>BitFit (Ben Zaken et al. 2022): every bias trains (projection and LayerNorm biases), nothing else.</summary>
public sealed record BitFitSettings : PeftSettings
{
    public override string Method => "bitfit";

    public override bool Owns(string key) => key.EndsWith(".bias", StringComparison.Ordinal);

    public override IReadOnlyList<Parameter> Apply(CausalLanguageModel model)
    {
        var trainable = UnfreezeOwn(model);
        return trainable.Count > 0 ? trainable
            : throw new ArgumentException($"bitfit trains biases, and this {model.Config.ModelType} model has none (attention_bias and mlp_bias are false).");
    }
}
