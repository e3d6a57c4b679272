namespace ForgetLab.Core.Specs;

/// <summary>
/// Layer freezing: only the listed transformer blocks train; embeddings, the other blocks and the
/// final norm stay frozen. YAML: <c>{ type: freeze, trainable_layers: [2, 3] }</c>.
/// </summary>
public sealed record FreezeSpec : MethodSpec
{
    /// <summary>Indices of the blocks that train (0-based); not empty, no duplicates, below n_layer.</summary>
    public required IReadOnlyList<int> TrainableLayers { get; init; }

    public override string Type => "freeze";

    private protected override string DerivedLabel => "freeze-l" + string.Join('_', TrainableLayers.Select(Text));

    public override IEnumerable<KeyValuePair<string, string>> Hyperparameters() => [new("trainable_layers", string.Join(",", TrainableLayers))];

    internal override (string Field, string Message)? CheckModel(ModelConfigSpec model) =>
        TrainableLayers.FirstOrDefault(l => l >= model.NLayer, -1) is var bad and >= 0
            ? ("trainable_layers", $"layer {bad} does not exist: the base has {model.NLayer} layers (0-{model.NLayer - 1})")
            : null;

    internal static MethodKind Kind { get; } = new("freeze", ["trainable_layers"], Read, ShortForm: null,
        ShortFormError: "type 'freeze' needs trainable_layers: write { type: freeze, trainable_layers: [...] }");

    private static FreezeSpec? Read(YamlFields m, SpecErrorList errors)
    {
        if (!m.Require("trainable_layers") || m.List("trainable_layers") is not { } nodes) return null;
        var before = errors.Count;
        var layers = new List<int>();
        for (var i = 0; i < nodes.Count; i++)
        {
            var path = $"{m.PathOf("trainable_layers")}[{i}]";
            if (YamlValues.Int(nodes[i], path, errors, 0, 63) is not { } layer) continue;
            if (layers.IndexOf(layer) is var first and >= 0)
                errors.Add(nodes[i], path, $"same value as {m.PathOf("trainable_layers")}[{first}]");
            layers.Add(layer);
        }

        return errors.Count > before ? null : new FreezeSpec { TrainableLayers = layers };
    }
}
