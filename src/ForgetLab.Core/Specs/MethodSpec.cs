using System.Globalization;

namespace ForgetLab.Core.Specs;

/// <summary>
/// One entry of the grid's method axis: what is trained, and optionally its own learning rate.
/// A method with its own <see cref="Lr"/> is not crossed with the grid's lr axis (full
/// fine-tuning and LoRA usually want rates an order of magnitude apart).
/// Other PEFT kinds add a <see cref="MethodType"/> value and a settings property like <see cref="Lora"/>.
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

    /// <summary>The method's part of a run name: <see cref="Name"/>, else "full" or "lora-r{rank}".</summary>
    public string Label => Name ?? Type switch
    {
        MethodType.Full => "full",
        MethodType.Lora => "lora-r" + (Lora ?? new LoraSpec()).Rank.ToString(CultureInfo.InvariantCulture),
        _ => SpecNames.Of(Type),
    };

    public static MethodSpec Full { get; } = new();

    public static MethodSpec LoRA(LoraSpec? lora = null, double? lr = null) =>
        new() { Type = MethodType.Lora, Lora = lora ?? new LoraSpec(), Lr = lr };
}
