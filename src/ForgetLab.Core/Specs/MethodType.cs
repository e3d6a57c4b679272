namespace ForgetLab.Core.Specs;

/// <summary>
/// Which parameters a run trains (YAML: full | lora | adapter | prefix | bitfit | freeze). Each kind
/// with settings has a settings record on <see cref="MethodSpec"/>.
/// </summary>
public enum MethodType
{
    /// <summary>Full fine-tuning: every weight is trained.</summary>
    Full,

    /// <summary>Low-rank adapters on the named linear modules; the base weights stay frozen.</summary>
    Lora,

    /// <summary>Houlsby-style bottleneck adapters after attention and MLP; the base weights stay frozen.</summary>
    Adapter,

    /// <summary>Gated key/value prefixes in every attention layer; the base weights stay frozen.</summary>
    Prefix,

    /// <summary>BitFit: only the biases train.</summary>
    BitFit,

    /// <summary>Only the listed transformer blocks train.</summary>
    Freeze,
}
