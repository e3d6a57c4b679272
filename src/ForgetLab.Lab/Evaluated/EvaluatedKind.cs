namespace ForgetLab.Lab.Evaluated;

/// <summary>What an <c>evaluate</c> entry's folder holds, as its files tell.</summary>
public enum EvaluatedKind
{
    /// <summary>A complete Hugging Face model folder of the base's architecture and config (<c>config.json</c> + weights).</summary>
    ModelFolder,

    /// <summary>An adapter in PEFT's layout (<c>adapter_config.json</c> with <c>peft_type</c> LORA or IA3, <c>adapter_model.safetensors</c>).</summary>
    PeftAdapter,

    /// <summary>ForgetLab's own adapter-only files for the methods PEFT has no layout for (<c>forgetlab_method</c>: adapter, prefix, bitfit, freeze).</summary>
    ForgetLabAdapter,
}
