namespace ForgetLab.Lab.Model;

/// <summary>
/// Which state-dict keys belong to a PEFT method's added modules rather than to the base model:
/// LoRA (<c>.lora_A</c>, <c>.lora_B</c>), bottleneck adapters (<c>.adapter_attn</c>, <c>.adapter_mlp</c>)
/// and prefixes (<c>.prefix_key</c>, <c>.prefix_value</c>, <c>.prefix_gate</c>). Base files never hold them.
/// </summary>
public static class PeftKeys
{
    public static bool IsAdapterKey(string key) =>
        key.Contains(".lora_", StringComparison.Ordinal)
        || key.Contains(".adapter_", StringComparison.Ordinal)
        || key.Contains(".prefix_", StringComparison.Ordinal);
}
