using ForgetLab.Lab.Model.Gpt2;
using ForgetLab.Lab.Model.Llama;
using static TorchSharp.torch;

namespace ForgetLab.Lab.Model;

/// <summary>The one place a config becomes a model: each architecture's config record maps to its model class.</summary>
public static class ModelArchitectures
{
    /// <summary>A freshly initialised model of the config's architecture (weights drawn from torch's generator).</summary>
    public static CausalLanguageModel Create(IModelConfig config, Device? device = null) => config switch
    {
        GptConfig gpt => new GptModel(gpt, device),
        LlamaConfig llama => new LlamaModel(llama, device),
        _ => throw new ArgumentException($"No architecture for a {config.GetType().Name}."),
    };
}
