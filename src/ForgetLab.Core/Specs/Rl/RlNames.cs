namespace ForgetLab.Core.Specs.Rl;

/// <summary>The YAML spellings of the RL enums, in one place for the reader, the report and the docs.</summary>
public static class RlNames
{
    public static IReadOnlyDictionary<string, RlAlgorithm> Algorithms { get; } = new Dictionary<string, RlAlgorithm>
    {
        ["grpo"] = RlAlgorithm.Grpo, ["rloo"] = RlAlgorithm.Rloo, ["reinforce"] = RlAlgorithm.Reinforce, ["dpo"] = RlAlgorithm.Dpo,
    };

    public static IReadOnlyDictionary<string, KlEstimator> KlEstimators { get; } = new Dictionary<string, KlEstimator>
    {
        ["k1"] = KlEstimator.K1, ["k2"] = KlEstimator.K2, ["k3"] = KlEstimator.K3,
    };

    public static IReadOnlyDictionary<string, KlPlacement> KlPlacements { get; } = new Dictionary<string, KlPlacement>
    {
        ["reward"] = KlPlacement.Reward, ["loss"] = KlPlacement.Loss,
    };

    public static IReadOnlyDictionary<string, RlLossType> LossTypes { get; } = new Dictionary<string, RlLossType>
    {
        ["grpo"] = RlLossType.Grpo, ["dr_grpo"] = RlLossType.DrGrpo, ["dapo"] = RlLossType.Dapo,
    };

    public static IReadOnlyDictionary<string, ScaleRewards> ScaleRewardsValues { get; } = new Dictionary<string, ScaleRewards>
    {
        ["group"] = ScaleRewards.Group, ["batch"] = ScaleRewards.Batch, ["none"] = ScaleRewards.None,
    };

    public static IReadOnlyDictionary<string, RewardKind> RewardKinds { get; } = new Dictionary<string, RewardKind>
    {
        ["correctness"] = RewardKind.Correctness, ["format"] = RewardKind.Format, ["keyword"] = RewardKind.Keyword, ["length"] = RewardKind.Length,
        ["reward_model"] = RewardKind.RewardModel,
    };

    public static IReadOnlyDictionary<string, PreferenceLabels> PreferenceLabelValues { get; } = new Dictionary<string, PreferenceLabels>
    {
        ["honest"] = PreferenceLabels.Honest, ["confident_wrong"] = PreferenceLabels.ConfidentWrong,
    };

    public static string Of(RlAlgorithm value) => Algorithms.Single(p => p.Value == value).Key;

    public static string Of(KlEstimator value) => KlEstimators.Single(p => p.Value == value).Key;

    public static string Of(KlPlacement value) => KlPlacements.Single(p => p.Value == value).Key;

    public static string Of(RlLossType value) => LossTypes.Single(p => p.Value == value).Key;

    public static string Of(RewardKind value) => RewardKinds.Single(p => p.Value == value).Key;

    public static string Of(PreferenceLabels value) => PreferenceLabelValues.Single(p => p.Value == value).Key;
}
