using ForgetLab.Lab.Model;
using TorchSharp.Modules;

namespace ForgetLab.Lab.Peft;

/// <summary>
/// Houlsby bottleneck adapters (<see cref="BottleneckAdapter"/>) on the output of every decoder
/// layer's attention and MLP, before the residual add: x + adapter_attn(attn(ln_1(x))), then
/// x + adapter_mlp(mlp(ln_2(x))). The adapters are registered on the block (<c>h.0.adapter_attn</c>)
/// and wrap the sublayer through a forward hook; the up-projection starts at zero, so step 0 is the base.
/// </summary>
public sealed record AdapterSettings(int Bottleneck) : PeftSettings
{
    public override string Method => "adapter";

    public override bool Owns(string key) => key.Contains(".adapter_", StringComparison.Ordinal);

    public override IReadOnlyList<Parameter> Apply(CausalLanguageModel model)
    {
        FreezeAll(model);
        var trainable = new List<Parameter>();
        var width = model.Config.HiddenSize;
        foreach (var block in model.Layers())
        {
            if (block.named_children().Any(c => c.name.StartsWith("adapter_", StringComparison.Ordinal)))
                throw new InvalidOperationException("This block already has adapters.");
            var attn = new BottleneckAdapter(width, Bottleneck);
            var mlp = new BottleneckAdapter(width, Bottleneck);
            block.register_module("adapter_attn", attn);
            block.register_module("adapter_mlp", mlp);
            block.Attention.register_forward_hook((_, _, output) => attn.forward(output));
            block.Mlp.register_forward_hook((_, _, output) => mlp.forward(output));
            trainable.AddRange(attn.parameters().Concat(mlp.parameters()));
        }

        return trainable;
    }
}
