using System.Globalization;

namespace ForgetLab.Core.Specs;

/// <summary>
/// One entry of the grid's method axis: what is trained, and optionally its own learning rate.
/// A method with its own <see cref="Lr"/> is not crossed with the grid's lr axis (full
/// fine-tuning and LoRA usually want rates an order of magnitude apart).
/// The hierarchy is closed: every method is a sealed record of this assembly (<see cref="FullSpec"/>,
/// <see cref="LoraSpec"/>, <see cref="AdapterSpec"/>, <see cref="PrefixSpec"/>, <see cref="BitFitSpec"/>,
/// <see cref="FreezeSpec"/>, <see cref="Ia3Spec"/>), listed once in <see cref="MethodKinds"/>; each
/// holds its own settings, its run label, its report hyperparameters and its YAML reader.
/// </summary>
public abstract record MethodSpec
{
    // Only this assembly derives methods, so a switch over them can be exhaustive.
    private protected MethodSpec()
    {
    }

    /// <summary>The method's YAML name (<c>type:</c>): full, lora, adapter, prefix, bitfit, freeze, ia3.</summary>
    public abstract string Type { get; }

    /// <summary>
    /// Optional label used in run names instead of the derived one ("full", "lora-r8"); needed
    /// when two entries would otherwise give the same names.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>This method's own learning rate; null means "use the grid's lr axis / train.lr".</summary>
    public double? Lr { get; init; }

    /// <summary>The method's part of a run name: <see cref="Name"/>, else the method's own label ("full", "lora-r8", ...).</summary>
    public string Label => Name ?? DerivedLabel;

    /// <summary>The label derived from the settings ("lora-r8", "adapter-b16", "freeze-l2_3").</summary>
    private protected abstract string DerivedLabel { get; }

    /// <summary>The method's settings as a run report lists them (<c>lora_rank</c>, ...), in a fixed order.</summary>
    public virtual IEnumerable<KeyValuePair<string, string>> Hyperparameters() => [];

    /// <summary>A problem with the method on a base of <paramref name="model"/>'s shape: (the field, the message), or null.</summary>
    internal virtual (string Field, string Message)? CheckModel(ModelConfigSpec model) => null;

    private protected static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static MethodSpec Full { get; } = new FullSpec();

    public static MethodSpec LoRA(LoraSpec? lora = null, double? lr = null) => (lora ?? new LoraSpec()) with { Lr = lr };
}
