namespace ForgetLab.Lab.Peft;

/// <summary>
/// A parameter-efficient method as the trainer and checkpoints see it: which state-dict tensors it
/// trains (and so which an adapter-only checkpoint holds). LoRA's checkpoints use PEFT's layout
/// (<see cref="PeftAdapterFiles"/>); the others use <see cref="AdapterCheckpointFiles"/>.
/// </summary>
public abstract record PeftSettings
{
    /// <summary>The method's YAML name (lora, adapter, prefix, bitfit, freeze).</summary>
    public abstract string Method { get; }

    /// <summary>True for the state-dict keys the method trains.</summary>
    public abstract bool Owns(string key);
}

/// <summary>Houlsby bottleneck adapters after attention and MLP of every block.</summary>
public sealed record AdapterSettings(int Bottleneck) : PeftSettings
{
    public override string Method => "adapter";

    public override bool Owns(string key) => key.Contains(".adapter_", StringComparison.Ordinal);
}

/// <summary>Gated key/value prefixes of <see cref="NumVirtualTokens"/> tokens in every attention layer.</summary>
public sealed record PrefixSettings(int NumVirtualTokens) : PeftSettings
{
    public override string Method => "prefix";

    public override bool Owns(string key) => key.Contains(".prefix_", StringComparison.Ordinal);
}

/// <summary>BitFit (Ben Zaken et al. 2022): every bias trains (Conv1D and LayerNorm biases), nothing else.</summary>
public sealed record BitFitSettings : PeftSettings
{
    public override string Method => "bitfit";

    public override bool Owns(string key) => key.EndsWith(".bias", StringComparison.Ordinal);
}

/// <summary>Layer freezing: every parameter of the listed blocks trains; embeddings, other blocks and ln_f do not.</summary>
public sealed record FreezeSettings(IReadOnlyList<int> TrainableLayers) : PeftSettings
{
    public override string Method => "freeze";

    public override bool Owns(string key) =>
        TrainableLayers.Any(i => key.StartsWith($"transformer.h.{i}.", StringComparison.Ordinal));

    public bool Equals(FreezeSettings? other) => other is not null && TrainableLayers.SequenceEqual(other.TrainableLayers);

    public override int GetHashCode() => TrainableLayers.Aggregate(17, (h, i) => h * 31 + i);
}
