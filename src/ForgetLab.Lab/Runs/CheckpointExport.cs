using System.Text.Json;
using ForgetLab.Lab.Model;
using ForgetLab.Lab.Model.Weights;
using ForgetLab.Lab.Peft;
using ForgetLab.Lab.Tokenization;
using ForgetLab.Lab.Training;

namespace ForgetLab.Lab.Runs;

/// <summary>
/// A fine-tuned checkpoint as a complete Hugging Face model folder (<c>forgetlab lab export</c>): the base's
/// config.json, the weights the checkpoint computes with (full fine-tuning's as trained; LoRA and (IA)³ merged into
/// their projections, W + (B·A)ᵀ·s and the scaled W; BitFit's and freezing's tensors over the base's), float32,
/// sharded past <c>max_shard_size</c> as transformers does (<see cref="ShardPlan"/>), and the base's tokenizer files
/// (<see cref="TokenizerFolderFiles"/>). Bottleneck adapters and prefixes add modules the architecture has no place
/// for, so they are refused rather than exported as something that is not the model that was evaluated.
/// </summary>
public static class CheckpointExport
{
    /// <summary>Writes the folder; returns the method the checkpoint was trained with.</summary>
    public static string Export(string checkpoint, string baseFolder, string outDirectory, long maxShardBytes = ShardPlan.DefaultMaxShardBytes)
    {
        if (TrainingCheckpoint.Verify(checkpoint) is { } problem) throw new InvalidDataException(problem);
        using var model = ModelFolder.Load(baseFolder);
        var method = LoadCheckpoint(model, checkpoint);
        Directory.CreateDirectory(outDirectory);
        ModelFolder.Save(model.EffectiveStateDict(), model.Config, outDirectory, maxShardBytes);
        TokenizerFolderFiles.Copy(baseFolder, outDirectory);
        return method;
    }

    private static string LoadCheckpoint(CausalLanguageModel model, string checkpoint)
    {
        var adapterConfig = Path.Combine(checkpoint, PeftAdapterFiles.ConfigFile);
        if (!File.Exists(adapterConfig))
        {
            // Full fine-tuning: the checkpoint is a model folder of the base's architecture.
            if (!File.Exists(Path.Combine(checkpoint, ModelFolder.ConfigFile)))
                throw new InvalidDataException($"{checkpoint}: neither {ModelFolder.ConfigFile} (full fine-tuning) nor {PeftAdapterFiles.ConfigFile} (a method's adapter): not a checkpoint folder");
            if (ModelFolder.ReadConfig(checkpoint) is var own && JsonSerializer.Serialize(own, own.GetType()) != JsonSerializer.Serialize(model.Config, model.Config.GetType()))
                throw new InvalidDataException($"{Path.Combine(checkpoint, ModelFolder.ConfigFile)}: does not match the base's config.json (another base?)");
            ModelFolder.LoadWeights(model, checkpoint);
            return "full";
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(adapterConfig));
        var root = doc.RootElement;
        string? Field(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        IPeftMethod? peft = Field("peft_type") switch
        {
            "LORA" => LoraSettings.Read(checkpoint),
            "IA3" => Ia3Settings.Read(checkpoint),
            _ => null,
        };
        if (peft is not null)
        {
            peft.Apply(model);
            peft.LoadWeights(model, checkpoint);
            return peft.Method;
        }

        var forgetlab = Field("forgetlab_method");
        if (forgetlab is "bitfit" or "freeze")
        {
            // Their tensors are base weights under the base's own names.
            AdapterCheckpointFiles.LoadWeights(model, checkpoint);
            return forgetlab;
        }

        throw new InvalidDataException(forgetlab is null
            ? $"{adapterConfig}: peft_type: '{Field("peft_type")}' cannot be exported (LORA, IA3, or ForgetLab's bitfit and freeze)"
            : $"{adapterConfig}: forgetlab_method: '{forgetlab}' adds modules {model.Config.ModelType} has no place for; only full, lora, ia3, bitfit and freeze checkpoints export as a model folder");
    }
}
