namespace ForgetLab.Core.Specs;

/// <summary>The YAML spelling of the spec enums, in one place for the loader, hashes and messages (methods name themselves: <see cref="MethodKinds"/>).</summary>
public static class SpecNames
{
    public static IReadOnlyDictionary<string, TargetTask> TargetTasks { get; } = new Dictionary<string, TargetTask>
    {
        ["format"] = TargetTask.Format,
        ["conflicting_facts"] = TargetTask.ConflictingFacts,
        ["new_entities"] = TargetTask.NewEntities,
    };

    public static IReadOnlyDictionary<string, TooLongPolicy> TooLongPolicies { get; } = new Dictionary<string, TooLongPolicy>
    {
        ["refuse"] = TooLongPolicy.Refuse,
        ["truncate"] = TooLongPolicy.Truncate,
    };

    public static IReadOnlyDictionary<string, LrSchedule> Schedules { get; } = new Dictionary<string, LrSchedule>
    {
        ["cosine"] = LrSchedule.Cosine,
        ["constant"] = LrSchedule.Constant,
        ["linear"] = LrSchedule.Linear,
    };

    public static IReadOnlyDictionary<string, OptimizerState> OptimizerStates { get; } = new Dictionary<string, OptimizerState>
    {
        ["fresh"] = OptimizerState.Fresh,
        ["pretrain"] = OptimizerState.Pretrain,
    };

    public static IReadOnlyDictionary<string, BaseArchitecture> Architectures { get; } = new Dictionary<string, BaseArchitecture>
    {
        ["gpt2"] = BaseArchitecture.Gpt2,
        ["llama"] = BaseArchitecture.Llama,
    };

    public static IReadOnlyDictionary<string, TokenizerKind> TokenizerKinds { get; } = new Dictionary<string, TokenizerKind>
    {
        ["word"] = TokenizerKind.Word,
        ["sentencepiece"] = TokenizerKind.SentencePiece,
        ["bpe"] = TokenizerKind.Bpe,
        ["file"] = TokenizerKind.File,
    };

    public static IReadOnlyDictionary<string, ComputeDtype> ComputeDtypes { get; } = new Dictionary<string, ComputeDtype>
    {
        ["float32"] = ComputeDtype.Float32,
        ["bfloat16"] = ComputeDtype.BFloat16,
    };

    public static IReadOnlyDictionary<string, Analysis.Severity> Severities { get; } = new Dictionary<string, Analysis.Severity>
    {
        ["mild"] = Analysis.Severity.Mild,
        ["moderate"] = Analysis.Severity.Moderate,
        ["severe"] = Analysis.Severity.Severe,
        ["at_chance"] = Analysis.Severity.AtChance,
        ["catastrophic"] = Analysis.Severity.Catastrophic,
    };

    public static string Of(TargetTask value) => TargetTasks.Single(p => p.Value == value).Key;

    public static string Of(LrSchedule value) => Schedules.Single(p => p.Value == value).Key;

    public static string Of(OptimizerState value) => OptimizerStates.Single(p => p.Value == value).Key;

    public static string Of(BaseArchitecture value) => Architectures.Single(p => p.Value == value).Key;

    public static string Of(TokenizerKind value) => TokenizerKinds.Single(p => p.Value == value).Key;

    public static string Of(ComputeDtype value) => ComputeDtypes.Single(p => p.Value == value).Key;

    public static string Of(Analysis.Severity value) => Severities.Single(p => p.Value == value).Key;
}
