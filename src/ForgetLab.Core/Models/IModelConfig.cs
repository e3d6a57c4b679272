namespace ForgetLab.Core.Models;

/// <summary>
/// What the trainer, the evaluator and the methods need to know of any architecture's configuration.
/// Each architecture's config record (<c>Gpt2/GptConfig</c>, <c>Llama/LlamaConfig</c>) serialises as
/// Hugging Face's <c>config.json</c> and implements this view of it.
/// </summary>
public interface IModelConfig
{
    /// <summary>Hugging Face's <c>model_type</c> (gpt2, llama, mistral, qwen2, qwen3).</summary>
    string ModelType { get; }

    int VocabSize { get; }

    /// <summary>The longest sequence the model takes (GPT-2's <c>n_positions</c>, Llama's <c>max_position_embeddings</c>).</summary>
    int MaxPositions { get; }

    /// <summary>Width of the residual stream.</summary>
    int HiddenSize { get; }

    /// <summary>Decoder layers.</summary>
    int LayerCount { get; }

    /// <summary>Standard deviation of the normal initialisation, also used by methods that draw new tensors.</summary>
    double InitializerRange { get; }
}
