namespace ForgetLab.Core.Specs.Rl;

/// <summary>
/// A learned reward (<c>{ kind: reward_model, path | train }</c>): a scalar head on a ForgetLab model, either read from
/// the folder of one trained earlier (<see cref="Path"/>) or trained before the run from <see cref="Train"/>'s settings
/// (cached by content hash, so every run of a grid that declares the same one shares it).
/// </summary>
public sealed record RewardModelSpec
{
    /// <summary>A trained reward model's folder (as the lab writes it: config.json, model.safetensors, score.safetensors, reward_model.json); null when trained inline.</summary>
    public string? Path { get; init; }

    /// <summary>How to train it on preference pairs; null when read from <see cref="Path"/>.</summary>
    public RewardModelTraining? Train { get; init; }
}
