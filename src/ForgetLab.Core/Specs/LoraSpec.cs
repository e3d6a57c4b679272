namespace ForgetLab.Core.Specs;

/// <summary>
/// LoRA (Hu et al. 2021): W + (alpha / rank) · B·A on the named linear modules.
/// YAML: <c>{ type: lora, rank: 8, alpha: 16, dropout: 0, target_modules: [c_attn], use_rslora: false }</c>.
/// </summary>
public sealed record LoraSpec : MethodSpec
{
    /// <summary>Rank of the update. Default 8; 1..1024.</summary>
    public int Rank { get; init; } = 8;

    /// <summary>Scaling numerator; the update is scaled by alpha / rank. Default 16; greater than 0.</summary>
    public double Alpha { get; init; } = 16;

    /// <summary>Dropout on the adapter input. Default 0; in [0, 1).</summary>
    public double Dropout { get; init; }

    /// <summary>
    /// Module names (Hugging Face names, e.g. c_attn, c_proj, c_fc for GPT-2; q_proj, v_proj for
    /// Llama) that get adapters. Default: c_attn, c_proj, c_fc. Not empty, no duplicates.
    /// </summary>
    public IReadOnlyList<string> TargetModules { get; init; } = DefaultTargetModules;

    /// <summary>rsLoRA (Kalajdzievski 2023): scale the update by alpha / √rank instead of alpha / rank. Default false.</summary>
    public bool UseRsLora { get; init; }

    public static IReadOnlyList<string> DefaultTargetModules { get; } = ["c_attn", "c_proj", "c_fc"];

    /// <summary>
    /// Names a spec may give instead of a list: <c>attention</c>, <c>mlp</c>, <c>all-linear</c>. A dotted
    /// name matches the end of a layer's path (PEFT's rule), so <c>attn.c_proj</c> is only the attention output.
    /// <c>attention</c> and <c>mlp</c> name GPT-2's layers; <c>all-linear</c> stays PEFT's keyword, which the
    /// engine resolves on the model's own architecture (every projection, never the LM head).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> TargetPresets { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["attention"] = ["c_attn", "attn.c_proj"],
        ["mlp"] = ["c_fc", "mlp.c_proj"],
        ["all-linear"] = ["all-linear"],
    };

    public override string Type => "lora";

    /// <summary>"lora-r8", or "rslora-r8" with rsLoRA.</summary>
    private protected override string DerivedLabel => (UseRsLora ? "rslora-r" : "lora-r") + Text(Rank);

    public override IEnumerable<KeyValuePair<string, string>> Hyperparameters()
    {
        yield return new("lora_rank", Text(Rank));
        yield return new("lora_alpha", GridExpansion.FormatNumber(Alpha));
        yield return new("lora_dropout", GridExpansion.FormatNumber(Dropout));
        yield return new("lora_target_modules", string.Join(",", TargetModules));
        if (UseRsLora) yield return new("lora_rslora", "true");
    }

    internal static MethodKind Kind { get; } = new("lora", ["rank", "alpha", "dropout", "target_modules", "use_rslora"], Read, () => new LoraSpec());

    private static LoraSpec? Read(YamlFields m, SpecErrorList errors)
    {
        var before = errors.Count;
        var d = new LoraSpec();
        var rank = m.Int("rank", d.Rank, 1, 1024);
        var alpha = m.Double("alpha", d.Alpha, NumberRange.Positive);
        var dropout = m.Double("dropout", d.Dropout, NumberRange.Probability);
        var rsLora = m.Bool("use_rslora", d.UseRsLora);
        var modules = ModuleNameList.Read(m, "target_modules", errors, d.TargetModules, TargetPresets);
        return errors.Count > before ? null : new LoraSpec
        {
            Rank = rank!.Value, Alpha = alpha!.Value, Dropout = dropout!.Value, TargetModules = modules!, UseRsLora = rsLora!.Value,
        };
    }
}
