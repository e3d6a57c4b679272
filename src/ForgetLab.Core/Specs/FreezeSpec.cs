namespace ForgetLab.Core.Specs;

/// <summary>
/// Layer freezing: only the listed transformer blocks train; embeddings, the other blocks and the
/// final norm stay frozen. YAML: <c>{ type: freeze, trainable_layers: [2, 3] }</c>.
/// </summary>
public sealed record FreezeSpec
{
    /// <summary>Indices of the blocks that train (0-based); not empty, no duplicates, below n_layer.</summary>
    public required IReadOnlyList<int> TrainableLayers { get; init; }
}
