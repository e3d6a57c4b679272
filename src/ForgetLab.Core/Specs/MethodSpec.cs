using System.Globalization;

namespace ForgetLab.Core.Specs;

/// <summary>
/// One entry of the grid's method axis: what is trained, and optionally its own learning rate.
/// A method with its own <see cref="Lr"/> is not crossed with the grid's lr axis (full
/// fine-tuning and LoRA usually want rates an order of magnitude apart).
/// Each PEFT kind with settings has its own property (<see cref="Lora"/>, <see cref="Adapter"/>,
/// <see cref="Prefix"/>, <see cref="Freeze"/>), set exactly when <see cref="Type"/> is that kind.
/// </summary>
public sealed record MethodSpec
{
    public MethodType Type { get; init; } = MethodType.Full;

    /// <summary>
    /// Optional label used in run names instead of the derived one ("full", "lora-r8"); needed
    /// when two entries would otherwise give the same names.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>This method's own learning rate; null means "use the grid's lr axis / train.lr".</summary>
    public double? Lr { get; init; }

    /// <summary>LoRA settings; set exactly when <see cref="Type"/> is <see cref="MethodType.Lora"/>.</summary>
    public LoraSpec? Lora { get; init; }

    /// <summary>Bottleneck-adapter settings; set exactly when <see cref="Type"/> is <see cref="MethodType.Adapter"/>.</summary>
    public AdapterSpec? Adapter { get; init; }

    /// <summary>Prefix-tuning settings; set exactly when <see cref="Type"/> is <see cref="MethodType.Prefix"/>.</summary>
    public PrefixSpec? Prefix { get; init; }

    /// <summary>Layer-freezing settings; set exactly when <see cref="Type"/> is <see cref="MethodType.Freeze"/>.</summary>
    public FreezeSpec? Freeze { get; init; }

    /// <summary>
    /// The method's part of a run name: <see cref="Name"/>, else "full", "lora-r8" ("rslora-r8"),
    /// "adapter-b16", "prefix-p10", "bitfit" or "freeze-l2_3".
    /// </summary>
    public string Label => Name ?? Type switch
    {
        MethodType.Full => "full",
        MethodType.Lora => ((Lora ?? new LoraSpec()).UseRsLora ? "rslora-r" : "lora-r") + Text((Lora ?? new LoraSpec()).Rank),
        MethodType.Adapter => "adapter-b" + Text((Adapter ?? new AdapterSpec()).Bottleneck),
        MethodType.Prefix => "prefix-p" + Text((Prefix ?? new PrefixSpec()).NumVirtualTokens),
        MethodType.Freeze => "freeze-l" + string.Join('_', (Freeze?.TrainableLayers ?? []).Select(Text)),
        _ => SpecNames.Of(Type),
    };

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static MethodSpec Full { get; } = new();

    public static MethodSpec LoRA(LoraSpec? lora = null, double? lr = null) =>
        new() { Type = MethodType.Lora, Lora = lora ?? new LoraSpec(), Lr = lr };
}
