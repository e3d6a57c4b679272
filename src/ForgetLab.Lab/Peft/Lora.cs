using ForgetLab.Lab.Model;
using TorchSharp.Modules;

namespace ForgetLab.Lab.Peft;

/// <summary>
/// Puts LoRA adapters on a model, freezes the base weights, and folds adapters back in. Only the
/// adapters' parameters are returned for the optimizer, so base weights stay bit-identical.
/// </summary>
public static class Lora
{
    /// <summary>Attaches adapters to the matching layers and returns the trainable (adapter) parameters.</summary>
    public static IReadOnlyList<Parameter> Apply(GptModel model, LoraSettings settings)
    {
        var targets = model.Conv1DLayers()
            .Where(l => settings.Targets(l.Path))
            .ToList();
        if (targets.Count == 0)
            throw new ArgumentException($"No layer matches target_modules [{string.Join(", ", settings.TargetModules)}].");
        foreach (var p in model.parameters()) p.requires_grad = false;
        foreach (var (_, layer) in targets) layer.AttachLora(settings.Rank, settings.Scaling, settings.Dropout);
        var trainable = new List<Parameter>();
        foreach (var (_, layer) in targets)
        {
            trainable.Add(layer.LoraA!.weight!);
            trainable.Add(layer.LoraB!.weight!);
        }
        foreach (var p in trainable) p.requires_grad = true;
        return trainable;
    }

    /// <summary>Folds every adapter into its base weight (the adapter is zeroed, logits are unchanged).</summary>
    public static void Merge(GptModel model)
    {
        foreach (var (_, layer) in model.Conv1DLayers()) layer.MergeLora();
    }
}
