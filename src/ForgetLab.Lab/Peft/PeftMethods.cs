using ForgetLab.Core.Specs;

namespace ForgetLab.Lab.Peft;

/// <summary>
/// The registry of the engine's fine-tuning methods: one line per Core method record, giving the
/// unit that applies it. Full fine-tuning has none (it trains and checkpoints the whole model).
/// </summary>
public static class PeftMethods
{
    /// <summary>The method for a spec entry; null for full fine-tuning.</summary>
    public static IPeftMethod? For(MethodSpec method) => method switch
    {
        FullSpec => null,
        LoraSpec l => new LoraSettings(l.Rank, l.Alpha, l.Dropout, l.TargetModules, l.UseRsLora),
        AdapterSpec a => new AdapterSettings(a.Bottleneck),
        PrefixSpec p => new PrefixSettings(p.NumVirtualTokens),
        BitFitSpec => new BitFitSettings(),
        FreezeSpec f => new FreezeSettings(f.TrainableLayers),
        Ia3Spec i => new Ia3Settings(i.TargetModules, i.FeedforwardModules),
        _ => throw new NotSupportedException($"method '{method.Type}' is not supported by this engine"),
    };
}
