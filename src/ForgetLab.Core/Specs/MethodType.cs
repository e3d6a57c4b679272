namespace ForgetLab.Core.Specs;

/// <summary>
/// Which parameters a run trains (YAML: full | lora). New PEFT kinds (adapters, prefix tuning) are
/// added here together with a settings record on <see cref="MethodSpec"/>.
/// </summary>
public enum MethodType
{
    /// <summary>Full fine-tuning: every weight is trained.</summary>
    Full,

    /// <summary>Low-rank adapters on the named linear modules; the base weights stay frozen.</summary>
    Lora,
}
