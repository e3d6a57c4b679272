namespace ForgetLab.Core.Data;

/// <summary>The three shapes of a fine-tuning JSONL line, as TRL's dataset formats name them.</summary>
public enum DataShape
{
    /// <summary><c>{"prompt": …, "completion": …}</c>.</summary>
    PromptCompletion,

    /// <summary><c>{"messages": [{"role": …, "content": …}, …]}</c>, rendered with a chat template.</summary>
    Messages,

    /// <summary><c>{"text": …}</c>: language modelling on the whole text.</summary>
    Text,
}
