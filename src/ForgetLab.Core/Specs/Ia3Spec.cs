namespace ForgetLab.Core.Specs;

/// <summary>
/// (IA)³ (Liu et al. 2022; PEFT's <c>IA3</c>): learned vectors, initialised to ones, that rescale the
/// output of each target module, or, for a feed-forward module, its input. PEFT's GPT-2 defaults:
/// <c>target_modules: [c_attn, mlp.c_proj]</c>, <c>feedforward_modules: [mlp.c_proj]</c> — so the
/// fused q/k/v projection's whole output is scaled (q too, as in PEFT), and the MLP's activation
/// before its down-projection. YAML: <c>{ type: ia3 }</c>, or with both lists.
/// </summary>
public sealed record Ia3Spec : MethodSpec
{
    /// <summary>Modules that get a scaling vector (PEFT's rule: the path or a dotted tail of it). Not empty, no duplicates.</summary>
    public IReadOnlyList<string> TargetModules { get; init; } = DefaultTargetModules;

    /// <summary>
    /// Which of the target modules are feed-forward (their input is scaled rather than their output);
    /// PEFT's rule: the layer path ends with the name. Each must also be one of <see cref="TargetModules"/>.
    /// </summary>
    public IReadOnlyList<string> FeedforwardModules { get; init; } = DefaultFeedforwardModules;

    public static IReadOnlyList<string> DefaultTargetModules { get; } = ["c_attn", "mlp.c_proj"];

    public static IReadOnlyList<string> DefaultFeedforwardModules { get; } = ["mlp.c_proj"];

    public override string Type => "ia3";

    private protected override string DerivedLabel => "ia3";

    public override IEnumerable<KeyValuePair<string, string>> Hyperparameters() =>
    [
        new("ia3_target_modules", string.Join(",", TargetModules)),
        new("ia3_feedforward_modules", string.Join(",", FeedforwardModules)),
    ];

    internal static MethodKind Kind { get; } = new("ia3", ["target_modules", "feedforward_modules"], Read, () => new Ia3Spec());

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoPresets = new Dictionary<string, IReadOnlyList<string>>();

    private static Ia3Spec? Read(YamlFields m, SpecErrorList errors)
    {
        var before = errors.Count;
        var targets = ModuleNameList.Read(m, "target_modules", errors, DefaultTargetModules, NoPresets);
        var feedforward = ModuleNameList.Read(m, "feedforward_modules", errors, m.Has("target_modules") ? [] : DefaultFeedforwardModules, NoPresets);
        if (targets is not null && feedforward?.FirstOrDefault(f => !targets.Contains(f)) is { } stray)
            m.Error("feedforward_modules", $"'{stray}' is not one of target_modules (PEFT: feedforward_modules must be a subset of target_modules)");
        return errors.Count > before ? null : new Ia3Spec { TargetModules = targets!, FeedforwardModules = feedforward! };
    }
}
