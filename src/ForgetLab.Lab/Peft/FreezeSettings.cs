using ForgetLab.Lab.Model;
using TorchSharp.Modules;

namespace ForgetLab.Lab.Peft;

/// <summary>
/// Layer freezing: every parameter of the listed decoder layers trains; embeddings, other layers and the
/// final norm do not. Layers are found by their state-dict prefix in each architecture's layout
/// (GPT-2's <c>transformer.h.N.</c>, the Llama family's <c>model.layers.N.</c>).
/// </summary>
public sealed record FreezeSettings(IReadOnlyList<int> TrainableLayers) : PeftSettings
{
    public override string Method => "freeze";

    public override bool Owns(string key) =>
        TrainableLayers.Any(i => key.StartsWith($"transformer.h.{i}.", StringComparison.Ordinal) || key.StartsWith($"model.layers.{i}.", StringComparison.Ordinal));

    public override IReadOnlyList<Parameter> Apply(CausalLanguageModel model)
    {
        if (TrainableLayers.FirstOrDefault(i => i < 0 || i >= model.Config.LayerCount, -1) is var bad and >= 0)
            throw new ArgumentException($"trainable_layers names layer {bad}, but the model has {model.Config.LayerCount} layers.");
        return UnfreezeOwn(model);
    }

    public bool Equals(FreezeSettings? other) => other is not null && TrainableLayers.SequenceEqual(other.TrainableLayers);

    public override int GetHashCode() => TrainableLayers.Aggregate(17, (h, i) => h * 31 + i);
}
